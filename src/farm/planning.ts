/**
 * planning_activitytemplate: the 20 lifecycle templates of `01_initialize_activity_templates.py`,
 * all triggered by day offset from batch start. They describe the planned rhythm, which differs
 * from what the engine does (sea transfer at day 450, four vaccinations, weight-based harvest).
 *
 * ID order: transfers, vaccination, feed changes, samplings, treatments, harvest, as listed.
 */
import type { RowSink } from '../rows/sink.js';
import type { ActivityTemplate, FarmModel, Stage } from '../core/model.js';
import { auditStamp } from '../rows/audit.js';
import { lookup } from './catalog.js';

type ActivityType = 'TRANSFER' | 'VACCINATION' | 'FEED_CHANGE' | 'SAMPLING' | 'TREATMENT' | 'HARVEST';

interface TemplateSpec {
  name: string;
  activityType: ActivityType;
  dayOffset: number;
  description: string;
  notes: string;
  targetStageOrder?: Stage['order'];
  weightThresholdG?: number;
}

const TEMPLATES: readonly TemplateSpec[] = [
  { name: 'Stage Transfer: Egg/Alevin → Fry', activityType: 'TRANSFER', dayOffset: 90, targetStageOrder: 2, description: 'Move from incubation to first-feeding tanks.', notes: 'Transfer to Fry tanks and start feeding Starter Feed 0.5mm.' },
  { name: 'Stage Transfer: Fry → Parr', activityType: 'TRANSFER', dayOffset: 180, targetStageOrder: 3, description: 'Move to Parr tanks.', notes: 'Transfer to Parr tanks; continue on Grower Feed 2.0mm.' },
  { name: 'Stage Transfer: Parr → Smolt (Smoltification)', activityType: 'TRANSFER', dayOffset: 270, targetStageOrder: 4, description: 'Smoltification: fish prepare for seawater.', notes: 'Smoltification transfer. Check silvering and seawater readiness.' },
  { name: 'Stage Transfer: Smolt → Post-Smolt (Sea Transfer)', activityType: 'TRANSFER', dayOffset: 360, targetStageOrder: 5, description: 'Sea transfer from the freshwater station to sea rings.', notes: 'Sea transfer. Book the wellboat, check stocking density and stress.' },
  { name: 'Stage Transfer: Post-Smolt → Adult', activityType: 'TRANSFER', dayOffset: 450, targetStageOrder: 6, description: 'Start of the Adult grow-out at sea.', notes: 'Adult grow-out starts; begin tracking harvest readiness.' },
  { name: 'Pre-Smoltification Vaccination', activityType: 'VACCINATION', dayOffset: 265, description: 'One vaccination before smoltification.', notes: 'Give the combined vaccine; allow 5 days of recovery before the transfer.' },
  { name: 'Feed Change: Start First Feeding (0.5mm)', activityType: 'FEED_CHANGE', dayOffset: 90, description: 'First feeding as fry leave incubation.', notes: 'Start Starter Feed 0.5mm; watch the feeding response for a week.' },
  { name: 'Feed Change: Upgrade to Starter 1.0mm', activityType: 'FEED_CHANGE', dayOffset: 135, description: 'Larger pellet as fry grow.', notes: 'Switch to Starter Feed 1.0mm (fish around 2-5 g).' },
  { name: 'Feed Change: Upgrade to Grower 2.0mm', activityType: 'FEED_CHANGE', dayOffset: 180, description: 'Grower feed from the Parr stage.', notes: 'Switch to Grower Feed 2.0mm (fish around 10-20 g).' },
  { name: 'Feed Change: Upgrade to Grower 3.0mm', activityType: 'FEED_CHANGE', dayOffset: 315, description: 'Larger pellet during the Smolt stage.', notes: 'Switch to Grower Feed 3.0mm (fish around 50-80 g).' },
  { name: 'Feed Change: Upgrade to Finisher 4.5mm', activityType: 'FEED_CHANGE', dayOffset: 405, description: 'Finisher feed after sea transfer.', notes: 'Switch to Finisher Feed 4.5mm (fish around 200-500 g).' },
  { name: 'Feed Change: Upgrade to Finisher 6.0mm', activityType: 'FEED_CHANGE', dayOffset: 550, description: 'Final pellet size for the grow-out.', notes: 'Switch to Finisher Feed 6.0mm (fish around 1.5-2.5 kg).' },
  { name: 'Pre-Transfer Growth Sampling: Fry → Parr', activityType: 'SAMPLING', dayOffset: 175, description: 'Growth sampling before the Parr transfer.', notes: 'Weigh and measure 50 fish; confirm readiness for Parr.' },
  { name: 'Pre-Vaccination Health Sampling', activityType: 'SAMPLING', dayOffset: 260, description: 'Health check before vaccination.', notes: 'Health-sample 30 fish before vaccinating.' },
  { name: 'Pre-Sea Transfer Sampling', activityType: 'SAMPLING', dayOffset: 355, description: 'Full sampling before sea transfer.', notes: 'Sample 75 fish for weight, length and smolt index.' },
  { name: 'Mid-Cycle Growth Assessment', activityType: 'SAMPLING', dayOffset: 600, description: 'Growth check halfway through the grow-out.', notes: 'Sample 75 fish; update the harvest projection.' },
  { name: 'Pre-Harvest Quality Sampling', activityType: 'SAMPLING', dayOffset: 780, description: 'Quality check before harvest.', notes: 'Sample 50 fish for weight spread, fillet quality and maturation.' },
  { name: 'Lice Treatment #1', activityType: 'TREATMENT', dayOffset: 520, description: 'First planned lice treatment at sea.', notes: 'Lice treatment (thermal, bath or mechanical); count lice before and after.' },
  { name: 'Lice Treatment #2', activityType: 'TREATMENT', dayOffset: 650, description: 'Second planned lice treatment at sea.', notes: 'Lice treatment; rotate the method if resistance is suspected; count before and after.' },
  { name: 'Planned Harvest', activityType: 'HARVEST', dayOffset: 800, weightThresholdG: 5000, description: 'Harvest at the projected target weight.', notes: 'Plan wellboat and processing capacity; target 5 kg; check withdrawal periods.' },
];

/** The templates as the planned-activity seeding reads them (IDs 1..20 in the order above). */
export function buildActivityTemplates(): ActivityTemplate[] {
  return TEMPLATES.map((template, index) => ({
    id: index + 1,
    activityType: template.activityType,
    dayOffset: template.dayOffset,
    notes: template.notes,
    weightThresholdG: template.weightThresholdG ?? null,
  }));
}

/** planning_activitytemplate */
export function emitActivityTemplates(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  TEMPLATES.forEach((template, index) => {
    const target = template.targetStageOrder;
    sink.emit('planning_activitytemplate', {
      id: index + 1,
      name: template.name,
      description: template.description,
      activity_type: template.activityType,
      trigger_type: 'DAY_OFFSET',
      day_offset: template.dayOffset,
      weight_threshold_g: template.weightThresholdG ?? null,
      notes_template: template.notes,
      is_active: true,
      ...stamp,
      target_lifecycle_stage_id: target === undefined ? null : lookup(farm.stages, (s) => s.order === target, `stage order ${target}`).id,
    });
  });
}
