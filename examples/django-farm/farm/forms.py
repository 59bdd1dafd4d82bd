from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.db.models import Sum

from .models import Batch, BatchContainerAssignment, Container, MortalityEvent


class MortalityForm(forms.Form):
    """A mortality event in one container of an active batch, checked as AquaMind's API checks it."""

    batch = forms.ModelChoiceField(queryset=Batch.objects.filter(status='ACTIVE'))
    container = forms.ModelChoiceField(queryset=Container.objects.filter(assignments__is_active=True).distinct().order_by('name'))
    count = forms.IntegerField(min_value=1)
    cause = forms.ChoiceField(choices=MortalityEvent.CAUSE_CHOICES)
    event_date = forms.DateField(label='Date', widget=forms.DateInput(attrs={'type': 'date'}))
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={'rows': 2}))

    def clean(self):
        data = super().clean()
        batch, container = data.get('batch'), data.get('container')
        if not batch or not container:
            return data
        assignment = BatchContainerAssignment.objects.filter(batch=batch, container=container, is_active=True).first()
        if assignment is None:
            raise forms.ValidationError({'container': f'{container} holds no fish of batch {batch}.'})
        # AquaMind's serializer: no more deaths than the batch has fish.
        population = batch.assignments.filter(is_active=True).aggregate(total=Sum('population_count'))['total'] or 0
        if data.get('count') and data['count'] > population:
            raise forms.ValidationError({'count': f"Mortality count ({data['count']}) exceeds batch population ({population})."})
        data['assignment'] = assignment
        return data

    def biomass_kg(self):
        """Fish lost times the container's average weight, in kg to two places (AquaMind's numeric(10,2))."""
        weight_g = self.cleaned_data['assignment'].avg_weight_g or Decimal(0)
        return (Decimal(self.cleaned_data['count']) * weight_g / 1000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)
