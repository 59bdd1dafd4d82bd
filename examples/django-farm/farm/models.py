"""
The farm example's models.

Four AquaMind tables, read and written as AquaMind writes them, but not created by this app:
their models are unmanaged (`managed = False`), so `migrate` leaves them to whoever made the
database (AquaMind's own migrations, or aquaseed's seed). Columns follow AquaMind's schema; the
foreign keys this example does not follow (species, lifecycle stage, hall, area) are plain ids.

One table is this app's own, made by its one migration: `farm_formaudit`, a line per form
submission (the kind of bookkeeping an E2E test allows with toHaveChangedOnly).
"""
from django.conf import settings
from django.db import models


class Container(models.Model):
    name = models.CharField(max_length=100)
    volume_m3 = models.DecimalField(max_digits=10, decimal_places=2)
    max_biomass_kg = models.DecimalField(max_digits=10, decimal_places=2)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    area_id = models.BigIntegerField(null=True)
    container_type_id = models.BigIntegerField()
    hall_id = models.BigIntegerField(null=True)
    feed_recommendations_enabled = models.BooleanField()
    carrier_id = models.BigIntegerField(null=True)
    hierarchy_role = models.CharField(max_length=20)
    parent_container = models.ForeignKey('self', models.DO_NOTHING, null=True, related_name='+')

    class Meta:
        managed = False
        db_table = 'infrastructure_container'

    def __str__(self):
        return self.name


class Batch(models.Model):
    STATUS_CHOICES = [(s, s.title()) for s in ('PLANNED', 'RECEIVING', 'ACTIVE', 'COMPLETED', 'TERMINATED', 'CANCELLED')]

    batch_number = models.CharField(max_length=50, unique=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    start_date = models.DateField()
    expected_end_date = models.DateField(null=True)
    actual_end_date = models.DateField(null=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    lifecycle_stage_id = models.BigIntegerField()
    species_id = models.BigIntegerField()
    batch_type = models.CharField(max_length=20)
    pinned_projection_run_id = models.BigIntegerField(null=True)

    class Meta:
        managed = False
        db_table = 'batch_batch'
        ordering = ['batch_number']

    def __str__(self):
        return self.batch_number


class BatchContainerAssignment(models.Model):
    batch = models.ForeignKey(Batch, models.PROTECT, related_name='assignments')
    container = models.ForeignKey(Container, models.PROTECT, related_name='assignments')
    lifecycle_stage_id = models.BigIntegerField()
    population_count = models.IntegerField()
    biomass_kg = models.DecimalField(max_digits=10, decimal_places=2)
    avg_weight_g = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    assignment_date = models.DateField()
    departure_date = models.DateField(null=True)
    last_weighing_date = models.DateField(null=True)
    is_active = models.BooleanField()
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        managed = False
        db_table = 'batch_batchcontainerassignment'


class MortalityEvent(models.Model):
    CAUSE_CHOICES = [
        ('DISEASE', 'Disease'),
        ('HANDLING', 'Handling'),
        ('PREDATION', 'Predation'),
        ('ENVIRONMENTAL', 'Environmental'),
        ('UNKNOWN', 'Unknown'),
        ('OTHER', 'Other'),
    ]

    batch = models.ForeignKey(Batch, models.PROTECT, related_name='mortality_events')
    assignment = models.ForeignKey(BatchContainerAssignment, models.PROTECT, null=True, related_name='mortality_events')
    event_date = models.DateField()
    count = models.PositiveIntegerField()
    biomass_kg = models.DecimalField(max_digits=10, decimal_places=2)
    cause = models.CharField(max_length=20, choices=CAUSE_CHOICES, default='UNKNOWN')
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        managed = False
        db_table = 'batch_mortalityevent'


class HistoricalMortalityEvent(models.Model):
    """django-simple-history's row for a MortalityEvent change, as AquaMind's HistoricalRecords writes it."""

    history_id = models.AutoField(primary_key=True)
    id = models.BigIntegerField()
    event_date = models.DateField()
    count = models.IntegerField()
    biomass_kg = models.DecimalField(max_digits=10, decimal_places=2)
    cause = models.CharField(max_length=20)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    batch_id = models.BigIntegerField(null=True)
    assignment_id = models.BigIntegerField(null=True)
    history_date = models.DateTimeField()
    history_change_reason = models.CharField(max_length=100, null=True)
    history_type = models.CharField(max_length=1)
    history_user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name='+')

    class Meta:
        managed = False
        db_table = 'batch_historicalmortalityevent'


class FormAudit(models.Model):
    """This app's own table: who submitted which form, and what it created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name='+')
    form = models.CharField(max_length=50)
    created_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = 'farm_formaudit'
