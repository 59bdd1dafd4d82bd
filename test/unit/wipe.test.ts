/**
 * Which tables `aquaseed wipe` empties is derived from the table definitions; this pins the result
 * so a change to the derivation (or a new table) shows up here as a reviewed diff.
 */
import { describe, expect, it } from 'vitest';
import { operationalTables } from '../../src/db/wipe.js';
import { tableNames, tables, type TableName } from '../../src/schema/tables/index.js';
import type { TableSpec } from '../../src/schema/table.js';

// Sorted: the definitions' order depends on how the module loader builds namespace objects.
const wiped = operationalTables().sort();
const kept = tableNames.filter((name) => !wiped.includes(name)).sort();

describe('operationalTables', () => {
  it('empties the batches and everything recorded about them', () => {
    expect(wiped.filter((name) => !name.includes('_historical'))).toEqual([
      'batch_actualdailyassignmentstate',
      'batch_batch',
      'batch_batchcontainerassignment',
      'batch_batchtransferworkflow',
      'batch_containerforecastsummary',
      'batch_creationaction',
      'batch_creationworkflow',
      'batch_growthsample',
      'batch_individualgrowthobservation',
      'batch_liveforwardprojection',
      'batch_mortalityevent',
      'batch_transferaction',
      'environmental_environmentalreading',
      'finance_core_costcenterbatchlink',
      'finance_factharvest',
      'finance_intercompanytransaction',
      'harvest_harvestevent',
      'harvest_harvestlot',
      'health_fishparameterscore',
      'health_healthsamplingevent',
      'health_individualfishobservation',
      'health_journalentry',
      'health_licecount',
      'health_treatment',
      'inventory_batchfeedingsummary',
      'inventory_containerfeedingsummary',
      'inventory_feedcontainerstock',
      'inventory_feedingevent',
      'inventory_feedpurchase',
      'planning_plannedactivity',
      'scenario',
      'scenario_projection_run',
      'scenario_scenarioprojection',
    ]);
  });

  it('keeps infrastructure and master data', () => {
    expect(kept.filter((name) => !name.includes('_historical'))).toEqual([
      'auth_user',
      'batch_lifecyclestage',
      'batch_species',
      // Created empty for the creation workflow's foreign key (schema-only): nothing to wipe.
      'broodstock_breedingpair',
      'broodstock_breedingplan',
      'broodstock_broodstockfish',
      'broodstock_eggproduction',
      'broodstock_eggsupplier',
      'django_content_type',
      'environmental_environmentalparameter',
      'finance_core_costcenter',
      'finance_core_periodlock',
      'finance_dimcompany',
      'finance_dimsite',
      'finance_intercompanypolicy',
      'harvest_productgrade',
      'health_healthparameter',
      'health_licetype',
      'health_mortalityreason',
      'health_parameterscoredefinition',
      'health_vaccinationtype',
      'infrastructure_area',
      'infrastructure_areagroup',
      'infrastructure_container',
      'infrastructure_containertype',
      'infrastructure_feedcontainer',
      'infrastructure_freshwaterstation',
      'infrastructure_geography',
      'infrastructure_hall',
      'infrastructure_sensor',
      'infrastructure_transportcarrier',
      'inventory_feed',
      'planning_activitytemplate',
      'scenario_biological_constraints',
      'scenario_fcrmodel',
      'scenario_fcrmodelstage',
      'scenario_mortalitymodel',
      'scenario_stage_constraint',
      'scenario_temperatureprofile',
      'scenario_temperaturereading',
      'scenario_tgcmodel',
      'users_userprofile',
    ]);
  });

  it('wipes the history table of every wiped model and of no kept one', () => {
    for (const name of tableNames) {
      const history = (tables[name] as TableSpec).history as TableName | undefined;
      if (!history) continue;
      expect({ name, historyWiped: wiped.includes(history) }).toEqual({ name, historyWiped: wiped.includes(name) });
    }
  });

  it('leaves no kept table with a foreign key into a wiped one (TRUNCATE would refuse)', () => {
    const offending = kept.flatMap((name) =>
      Object.entries((tables[name] as TableSpec).references ?? {})
        .filter(([, target]) => wiped.includes(target.split('.')[0] as TableName))
        .map(([column, target]) => `${name}.${column} -> ${target}`),
    );
    expect(offending).toEqual([]);
  });
});
