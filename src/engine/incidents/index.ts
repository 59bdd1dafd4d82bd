/**
 * A batch's incidents (schedule `incidents:`, docs/incidents.md) as hooks into its simulation: the
 * sensor excursions the environment step reads, the lice load the lice counts read, the steps that
 * add an incident's own rows (spiked mortality, outbreak counts and baths, disease investigations),
 * the feed shortage's hold on re-orders, and an overdue harvest. A batch without incidents gets
 * none of them (`BatchIncidents.of` returns null), so its rows are exactly what they were before
 * incidents existed.
 */
import type { IncidentOf } from '../../schedule/incident-types.js';
import type { BatchContext } from '../context.js';
import { HealthSamplingStep } from '../health-sampling.js';
import type { LiceCountStep } from '../lice.js';
import type { BatchState, DayStep } from '../state.js';
import { DiseaseStep } from './disease.js';
import { shortageBins, type ShortBin } from './feed-shortage.js';
import { LiceOutbreaks } from './lice-outbreak.js';
import { MortalitySpikeStep } from './mortality-spike.js';
import { isSensorIncident, SensorIncidents } from './sensor-excursion.js';
import { targetedIncidents, type TargetedIncident } from './targets.js';

export { FeedShortage, PurchaseWatch } from './feed-shortage.js';

function ofKind<K extends TargetedIncident['incident']['kind']>(all: readonly TargetedIncident[], kind: K): TargetedIncident<IncidentOf<K>>[] {
  return all.filter((t): t is TargetedIncident<IncidentOf<K>> => t.incident.kind === kind);
}

export class BatchIncidents {
  /** Dissolved-oxygen drops and temperature spikes, by day and container. */
  readonly sensors: SensorIncidents | null;
  /** The harvest is overdue: the campaign waits past asOf and the HARVEST activity is due on this day. */
  readonly harvestDueOn: string | null;
  private lice: LiceOutbreaks | null = null;

  private constructor(
    private readonly ctx: BatchContext,
    private readonly all: readonly TargetedIncident[],
  ) {
    const sensors = all.filter((t): t is TargetedIncident<IncidentOf<'oxygen-drop' | 'temperature-spike'>> => isSensorIncident(t.incident));
    this.sensors = sensors.length > 0 ? new SensorIncidents(ctx, sensors) : null;
    this.harvestDueOn = ofKind(all, 'harvest-overdue')[0]?.incident.day ?? null;
  }

  /** The batch's incidents, or null when it has none. */
  static of(ctx: BatchContext): BatchIncidents | null {
    const all = targetedIncidents(ctx);
    return all.length > 0 ? new BatchIncidents(ctx, all) : null;
  }

  /** The lice load override of the batch's outbreaks (null without any). */
  liceOverride(state: BatchState): LiceOutbreaks | null {
    const outbreaks = ofKind(this.all, 'lice-outbreak');
    if (outbreaks.length === 0) return null;
    this.lice ??= new LiceOutbreaks(this.ctx, state, outbreaks);
    return this.lice;
  }

  /** Steps right after the routine mortality check (the day's spiked deaths). */
  afterMortality(state: BatchState): DayStep[] {
    const spikes = ofKind(this.all, 'mortality-spike');
    return spikes.length > 0 ? [new MortalitySpikeStep(this.ctx, state, spikes)] : [];
  }

  /** Steps after the routine health steps: outbreak counts and baths, disease investigations. */
  afterHealth(state: BatchState, counts: LiceCountStep): DayStep[] {
    const steps: DayStep[] = [];
    const lice = this.liceOverride(state);
    if (lice) steps.push(lice.countingWith(counts));
    const diseases = ofKind(this.all, 'disease');
    if (diseases.length > 0) {
      const investigations = diseases.map((disease) => ({ disease, sampling: new HealthSamplingStep(this.ctx, state, disease.rng) }));
      steps.push(new DiseaseStep(this.ctx, state, investigations));
    }
    return steps;
  }

  /** The feed bins short of feed; null without a shortage. */
  shortageBins(): Map<number, ShortBin> | null {
    const shortages = ofKind(this.all, 'feed-shortage');
    return shortages.length > 0 ? shortageBins(this.ctx, shortages) : null;
  }
}
