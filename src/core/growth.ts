/**
 * Growth by the cube-root thermal growth coefficient, W₁ = (W₀^⅓ + TGC·T)³ per day, with the stage's
 * TGC and the day's mean temperature; capped at the stage's upper expected weight. No growth in
 * Egg&Alevin (yolk-sac fish are not fed).
 */
import type { StageOrder } from './stages.js';
import { STAGE_TGC } from './tuning.js';

/** One day's TGC step, before any cap. */
export function tgcStep(weightG: number, tgc: number, temperatureC: number): number {
  const root = Math.cbrt(weightG) + tgc * Math.max(0, temperatureC);
  return root * root * root;
}

/** Potential growth today as a fraction of today's weight: what the day's ration is sized for. */
export function potentialGainFraction(weightG: number, order: StageOrder, temperatureC: number): number {
  const tgc = STAGE_TGC[order];
  if (tgc === 0) return 0;
  return tgcStep(weightG, tgc, temperatureC) / weightG - 1;
}
