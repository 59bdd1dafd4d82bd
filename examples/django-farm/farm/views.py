from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from .forms import MortalityForm
from .models import Batch, FormAudit, HistoricalMortalityEvent, MortalityEvent


def health(request):
    """Readiness: answers once the database answers."""
    with connection.cursor() as cursor:
        cursor.execute('SELECT 1')
    return HttpResponse('ok')


@login_required
def active_batches(request):
    active = Q(assignments__is_active=True)
    # Meta.ordering does not apply to aggregating queries: order explicitly.
    batches = Batch.objects.filter(status='ACTIVE').order_by('batch_number').annotate(
        containers=Count('assignments', filter=active),
        population=Sum('assignments__population_count', filter=active),
        biomass_kg=Sum('assignments__biomass_kg', filter=active),
    )
    return render(request, 'farm/active_batches.html', {'batches': batches})


@login_required
def record_mortality(request):
    form = MortalityForm(request.POST or None)
    if request.method == 'POST' and form.is_valid():
        event = save_mortality(form, request.user)
        messages.success(request, f'Recorded {event.count} deaths in {form.cleaned_data["container"]} ({event.batch}).')
        return redirect('active-batches')
    return render(request, 'farm/record_mortality.html', {'form': form})


@transaction.atomic
def save_mortality(form, user):
    """
    The rows AquaMind's API writes for a new mortality event: the event, its simple-history row
    ('+', by the user, "created via API by <user>", as AquaMind's HistoryReasonMixin words it),
    and this app's own audit line.
    """
    data = form.cleaned_data
    event = MortalityEvent.objects.create(
        batch=data['batch'],
        assignment=data['assignment'],
        event_date=data['event_date'],
        count=data['count'],
        biomass_kg=form.biomass_kg(),
        cause=data['cause'],
        description=data['description'],
    )
    HistoricalMortalityEvent.objects.create(
        id=event.id,
        event_date=event.event_date,
        count=event.count,
        biomass_kg=event.biomass_kg,
        cause=event.cause,
        description=event.description,
        created_at=event.created_at,
        updated_at=event.updated_at,
        batch_id=event.batch_id,
        assignment_id=event.assignment_id,
        history_date=timezone.now(),
        history_change_reason=f'created via API by {user}',
        history_type='+',
        history_user=user,
    )
    FormAudit.objects.create(user=user, form='mortality', created_id=event.id)
    return event
