/**
 * The date columns that look past the farm's "now" by meaning: a plan, a forecast, an expiry.
 * Every other date and timestamp the farm writes (history tables included) is at or before it;
 * the tests hold every table to that.
 */
export const FORWARD_LOOKING_COLUMNS: readonly string[] = [
  'batch_batch.expected_end_date',
  'batch_historicalbatch.expected_end_date',
  'inventory_feedpurchase.expiry_date',
  'inventory_historicalfeedpurchase.expiry_date',
  'planning_plannedactivity.due_date',
  'planning_historicalplannedactivity.due_date',
  'scenario_scenarioprojection.projection_date',
  'batch_liveforwardprojection.projection_date',
  'batch_containerforecastsummary.projected_harvest_date',
  'batch_containerforecastsummary.projected_transfer_date',
  'batch_containerforecastsummary.original_harvest_date',
];
