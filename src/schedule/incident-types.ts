/**
 * The incidents a schedule carries: the kinds, what a user writes (`IncidentInput`) and the
 * canonical form the engine reads and the cache key hashes (`Incident`). ./incidents/ resolves
 * the one into the other.
 */
export const INCIDENT_KINDS = [
  'lice-outbreak',
  'oxygen-drop',
  'temperature-spike',
  'mortality-spike',
  'disease',
  'harvest-overdue',
  'feed-shortage',
] as const;

export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * AquaMind's mortality reasons (the health_mortalityreason rows the farm writes): a mortality
 * spike's cause. The event's `cause` column holds the model's code for it (src/engine/incidents).
 */
export const MORTALITY_REASON_NAMES = ['UNKNOWN', 'Natural Death', 'Disease', 'Stress', 'Handling', 'Predation', 'Environmental', 'Unknown'] as const;
export type MortalityReasonName = (typeof MORTALITY_REASON_NAMES)[number];

/**
 * A day as an incident names it: a date (`2025-11-19`), relative to the schedule's asOf (`asOf`,
 * `asOf-2d`) or to today (`today-1d`, for an `asOf: today` farm), or a batch day (a number: 0 is
 * the batch's start date, 451 the day after its sea transfer).
 */
export type IncidentDay = string | number;

/** Where an incident happens. Without container or area: every container the batch holds that day. */
export interface Placement {
  /**
   * The batch: its number (`FAR-2025-001`), or a ladder rung label (`UAT-105` for FAR-UAT-105).
   * May be left out when `container` names a container only one batch holds that day.
   */
  batch?: string;
  /** A container the batch holds that day: its name (`FI-SEA-03-Ring-07`) or the end of it (`Ring-07`, `C03`). */
  container?: string;
  /** The batch's sea area (`FI-SEA-03`): all its rings there. */
  area?: string;
  day: IncidentDay;
}

/** The incidents a preset, a schedule or seedFarm accepts, by kind. */
export type IncidentInput =
  | (Placement & {
      kind: 'lice-outbreak';
      /** Leave the outbreak untreated (default: a bath treatment the next day). */
      untreated?: boolean;
    })
  | (Placement & {
      kind: 'oxygen-drop';
      /** First hour of the drop, `HH:00` (default 10:00). */
      from?: string;
      /** How long it lasts, in whole hours within the day (default 4). */
      hours?: number;
      /** Lowest dissolved oxygen reached, in % (default 60; the safe range is 80-100). */
      minPercent?: number;
    })
  | (Placement & {
      kind: 'temperature-spike';
      from?: string;
      hours?: number;
      /** Highest temperature reached, °C (default 3 above the safe maximum: 19 in a tank, 21 at sea). */
      peakC?: number;
    })
  | (Placement & {
      kind: 'mortality-spike';
      /** One of AquaMind's mortality reasons. */
      cause: MortalityReasonName;
      /** Share of each container's fish that die (default 0.05). */
      share?: number;
    })
  | (Placement & {
      kind: 'disease';
      /** What the vet diagnoses (default "Pancreas disease"). */
      disease?: string;
    })
  | {
      kind: 'harvest-overdue';
      batch: string;
      /** The day the harvest was due. */
      day: IncidentDay;
    }
  | (Placement & {
      kind: 'feed-shortage';
      /** Days the re-orders stay held back from `day` (default: through asOf). */
      days?: number;
    });

/** An incident in the schedule's canonical form: what the engine reads and the cache key hashes. */
export type Incident =
  | { kind: 'lice-outbreak'; batch: string; day: string; container?: string; area?: string; untreated: boolean }
  | { kind: 'oxygen-drop'; batch: string; day: string; container?: string; area?: string; from: string; hours: number; minPercent: number }
  | { kind: 'temperature-spike'; batch: string; day: string; container?: string; area?: string; from: string; hours: number; peakC: number }
  | { kind: 'mortality-spike'; batch: string; day: string; container?: string; area?: string; cause: MortalityReasonName; share: number }
  | { kind: 'disease'; batch: string; day: string; container?: string; area?: string; disease: string }
  | { kind: 'harvest-overdue'; batch: string; day: string }
  | { kind: 'feed-shortage'; batch: string; day: string; container?: string; area?: string; days: number };

export type IncidentOf<K extends IncidentKind> = Extract<Incident, { kind: K }>;
export type IncidentInputOf<K extends IncidentKind> = Extract<IncidentInput, { kind: K }>;
