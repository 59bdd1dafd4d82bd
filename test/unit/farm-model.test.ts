// The farm model the engine reads: IDs in their documented order, the links between halls, areas,
// containers and sensors, and agreement between the model and the rows it emits.
import { describe, expect, it } from 'vitest';
import { MemorySink } from '../../src/rows/sink.js';
import { largestRemainder, roundRobin } from '../../src/farm/area-groups.js';
import { buildFarm, emitFarmRows, type Container } from '../../src/farm/index.js';

const OPTIONS = { seed: 'farm-model-test', establishedOn: '2024-03-01' };
const farm = buildFarm(OPTIONS);
const sink = new MemorySink();
emitFarmRows(farm, sink);

const containerNamed = (name: string): Container => {
  const container = farm.containers.get(farm.containerIdByName.get(name) ?? -1);
  if (!container) throw new Error(`no container ${name}`);
  return container;
};
const parameterIds = (names: readonly string[]): number[] =>
  names.map((name) => farm.parameters.find((p) => p.name === name)?.id ?? -1);

describe('buildFarm', () => {
  it('is pure: the same options give a deep-equal farm', () => {
    expect(buildFarm(OPTIONS)).toEqual(farm);
  });

  it('rejects an establishment date that is not YYYY-MM-DD', () => {
    expect(() => buildFarm({ seed: 's', establishedOn: '1.3.2024' })).toThrow(RangeError);
  });

  it('numbers geographies, stations, halls and areas in the documented order', () => {
    expect(farm.geographies).toEqual([
      { id: 1, name: 'Faroe Islands', code: 'FAR' },
      { id: 2, name: 'Scotland', code: 'SCO' },
    ]);
    expect(farm.stations.map((s) => s.name)).toEqual([
      ...Array.from({ length: 12 }, (_, i) => `FI-FW-${String(i + 1).padStart(2, '0')}`),
      ...Array.from({ length: 10 }, (_, i) => `S-FW-${String(i + 1).padStart(2, '0')}`),
    ]);
    expect(farm.stations.map((s) => s.id)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(farm.halls.slice(0, 6).map((h) => [h.id, h.name])).toEqual([
      [1, 'FI-FW-01-Hall-A'],
      [2, 'FI-FW-01-Hall-B'],
      [3, 'FI-FW-01-Hall-C'],
      [4, 'FI-FW-01-Hall-D'],
      [5, 'FI-FW-01-Hall-E'],
      [6, 'FI-FW-02-Hall-A'],
    ]);
    expect(farm.areas.map((a) => a.id)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    expect([farm.areas[0]?.name, farm.areas[21]?.name, farm.areas[22]?.name]).toEqual(['FI-SEA-01', 'FI-SEA-22', 'S-SEA-01']);
  });

  it('gives every hall its stage, its 10 holding containers in name order and its silo', () => {
    for (const hall of farm.halls) {
      expect(hall.stageOrder).toBe('ABCDE'.indexOf(hall.letter) + 1);
      const containers = hall.containerIds.map((id) => farm.containers.get(id));
      const prefix = hall.name.replace('-Hall-', '-');
      expect(containers.map((c) => c?.name)).toEqual(Array.from({ length: 10 }, (_, i) => `${prefix}-C${String(i + 1).padStart(2, '0')}`));
      expect(containers.every((c) => c?.hallId === hall.id && c.role === 'HOLDING')).toBe(true);
      expect(hall.feedContainerIds.map((id) => farm.feedContainers.get(id))).toEqual([
        expect.objectContaining({ name: `${prefix}-Silo`, kind: 'SILO', hallId: hall.id, areaId: null }),
      ]);
    }
  });

  it('gives every area its 20 rings and 3 barges in name order', () => {
    for (const area of farm.areas) {
      expect(area.containerIds.map((id) => farm.containers.get(id)?.name)).toEqual(
        Array.from({ length: 20 }, (_, i) => `${area.name}-Ring-${String(i + 1).padStart(2, '0')}`),
      );
      expect(area.feedContainerIds.map((id) => farm.feedContainers.get(id)?.name)).toEqual([1, 2, 3].map((n) => `${area.name}-Barge-${n}`));
    }
  });

  it('sizes containers as AquaMind did', () => {
    expect(containerNamed('FI-FW-01-A-C01')).toMatchObject({ volumeM3: 10, maxBiomassKg: 500 });
    expect(containerNamed('S-FW-10-E-C10')).toMatchObject({ volumeM3: 2000, maxBiomassKg: 100_000 });
    expect(containerNamed('S-SEA-20-Ring-20')).toMatchObject({ volumeM3: 50_000, maxBiomassKg: 500_000 });
    expect(containerNamed('FI-FW-01-A-R01')).toMatchObject({ role: 'STRUCTURAL', maxBiomassKg: 0 });
  });

  it('indexes every container by name', () => {
    expect(farm.containerIdByName.size).toBe(farm.containers.size);
    for (const [name, id] of farm.containerIdByName) expect(farm.containers.get(id)?.name).toBe(name);
  });

  it('puts racks in Hall A of FI-FW-01/02 and S-FW-01..03, trays C01-C05 on R01 and C06-C10 on R02', () => {
    const racks = [...farm.containers.values()].filter((c) => c.role === 'STRUCTURAL').map((c) => c.name);
    expect(racks).toEqual(
      ['FI-FW-01', 'FI-FW-02', 'S-FW-01', 'S-FW-02', 'S-FW-03'].flatMap((s) => [`${s}-A-R01`, `${s}-A-R02`]),
    );
    const parentOf = new Map(sink.of('infrastructure_container').map((r) => [r.name, r.parent_container_id]));
    const r01 = farm.containerIdByName.get('S-FW-03-A-R01');
    const r02 = farm.containerIdByName.get('S-FW-03-A-R02');
    expect(['C01', 'C05', 'C06', 'C10'].map((c) => parentOf.get(`S-FW-03-A-${c}`))).toEqual([r01, r01, r02, r02]);
    expect(parentOf.get('S-FW-04-A-C01')).toBeNull();
  });

  it('pairs FW holding containers with all 7 parameters and rings with Temperature, Dissolved Oxygen and pH', () => {
    const sensorById = new Map(sink.of('infrastructure_sensor').map((s) => [s.id, s]));
    const all = parameterIds(['Temperature', 'Dissolved Oxygen', 'pH', 'CO2', 'NO2', 'NO3', 'NH4']);
    const sea = parameterIds(['Temperature', 'Dissolved Oxygen', 'pH']);
    for (const container of farm.containers.values()) {
      const expected = container.role === 'STRUCTURAL' ? [] : container.hallId !== null ? all : sea;
      expect(container.sensors.map((s) => s.parameterId)).toEqual(expected);
      for (const { sensorId } of container.sensors) expect(sensorById.get(sensorId)?.container_id).toBe(container.id);
    }
  });

  it('feeds each stage its pellet and knows each parameter base', () => {
    expect(farm.feeds.map((f) => [f.name, f.stageOrder])).toEqual([
      ['Starter Feed 0.5mm', 2],
      ['Starter Feed 1.0mm', 3],
      ['Grower Feed 2.0mm', 4],
      ['Grower Feed 3.0mm', 5],
      ['Finisher Feed 4.5mm', 6],
      ['Finisher Feed 6.0mm', null],
    ]);
    expect(Object.fromEntries(farm.parameters.map((p) => [p.name, p.base]))).toEqual({
      'Dissolved Oxygen': 90,
      CO2: 8,
      pH: 7.2,
      Temperature: 12,
      NO2: 0.05,
      NO3: 20,
      NH4: 0.01,
    });
    expect(farm.stages.map((s) => [s.order, s.name])).toEqual([
      [1, 'Egg&Alevin'],
      [2, 'Fry'],
      [3, 'Parr'],
      [4, 'Smolt'],
      [5, 'Post-Smolt'],
      [6, 'Adult'],
    ]);
  });

  it('orders vaccination types by name and matches master-data IDs to their rows', () => {
    const vaccineName = new Map(sink.of('health_vaccinationtype').map((v) => [v.id, v.name]));
    expect(farm.vaccinationTypeIds.map((id) => vaccineName.get(id))).toEqual(['IPN Vaccine', 'Multi-component Vaccine', 'VHS Vaccine']);
    const username = new Map(sink.of('auth_user').map((u) => [u.id, u.username]));
    expect([username.get(farm.users.systemAdminId), username.get(farm.users.adminId)]).toEqual(['system_admin', 'admin']);
    const supplier = new Map(sink.of('broodstock_eggsupplier').map((s) => [s.id, s.name]));
    expect([1, 2].map((g) => supplier.get(farm.eggSupplierIdByGeography.get(g) ?? -1))).toEqual(['AquaGen Norway', 'Marine Harvest Scotland']);
    expect(farm.productGrades.map((g) => g.code)).toEqual(['SUPERIOR', 'GRADE_A', 'GRADE_B', 'GRADE_C', 'REJECT']);
    expect(sink.of('health_mortalityreason').map((r) => r.id)).toEqual(farm.mortalityReasonIds);
    expect(sink.of('health_healthparameter').map((p) => p.id)).toEqual(farm.healthParameterIds);
    expect(farm.liceTypes.filter((l) => l.developmentStage === 'chalimus')[0]).toMatchObject({ species: 'Lepeophtheirus salmonis', gender: 'female' });
  });

  it('links scenario models per geography and keeps their temperatures in the model', () => {
    const models = farm.scenarioModels;
    const tgc = new Map(sink.of('scenario_tgcmodel').map((m) => [m.model_id, m]));
    expect(tgc.get(models.tgcModelIdByGeography.get(1) ?? -1)).toMatchObject({ name: 'Faroe Islands Standard TGC', tgc_value: 0.00245 });
    expect(tgc.get(models.tgcModelIdByGeography.get(2) ?? -1)).toMatchObject({ name: 'Scotland Standard TGC', tgc_value: 0.00235 });
    const readings = sink.of('scenario_temperaturereading');
    for (const geography of farm.geographies) {
      const profileId = models.temperatureProfileIdByGeography.get(geography.id);
      const temperatures = models.temperaturesByGeography.get(geography.id) ?? [];
      expect(temperatures).toHaveLength(450);
      expect(temperatures.every((t) => t >= 6 && t <= 14)).toBe(true);
      expect(readings.filter((r) => r.profile_id === profileId).map((r) => r.temperature)).toEqual(temperatures);
    }
    const scotland = models.temperaturesByGeography.get(2) ?? [];
    // 10 + 3·sin(2π(i − 90)/365) peaks near day 182 and bottoms out near day 0 of the profile.
    expect((scotland[181] ?? 0) - (scotland[0] ?? 0)).toBeGreaterThan(2);
    expect(sink.of('scenario_fcrmodel')[0]?.model_id).toBe(models.fcrModelId);
    expect(sink.of('scenario_mortalitymodel')[0]).toMatchObject({ model_id: models.mortalityModelId, rate: 0.03, frequency: 'daily' });
  });

  it('maps finance companies and sites to stations and areas', () => {
    const companies = new Map(sink.of('finance_dimcompany').map((c) => [c.company_id, c]));
    for (const geography of farm.geographies) {
      const ids = farm.finance.companyIds.get(geography.id);
      const currency = geography.name === 'Scotland' ? 'GBP' : 'EUR';
      for (const subsidiary of ['FW', 'FM', 'LG'] as const) {
        expect(companies.get(ids?.[subsidiary] ?? -1)).toMatchObject({ subsidiary, geography_id: geography.id, currency });
      }
    }
    const sites = new Map(sink.of('finance_dimsite').map((s) => [s.site_id, s]));
    for (const station of farm.stations) {
      const company = farm.finance.companyIds.get(station.geographyId)?.FW;
      expect(sites.get(farm.finance.siteIdByStation.get(station.id) ?? -1)).toMatchObject({ source_model: 'station', source_pk: station.id, company_id: company });
    }
    for (const area of farm.areas) {
      const company = farm.finance.companyIds.get(area.geographyId)?.FM;
      expect(sites.get(farm.finance.siteIdByArea.get(area.id) ?? -1)).toMatchObject({ source_model: 'area', source_pk: area.id, company_id: company });
    }
  });
});

describe('area groups', () => {
  it('apportions areas by largest remainder as AquaMind HEAD did', () => {
    expect(largestRemainder(22, [8, 4, 13])).toEqual([7, 4, 11]);
    expect(largestRemainder(20, [10, 3, 2, 5, 3, 4, 8])).toEqual([6, 2, 1, 3, 2, 2, 4]);
  });

  it('interleaves Faroe areas N,S,W,… and links every area to a leaf group', () => {
    expect(roundRobin([7, 4, 11]).map((i) => 'NSW'[i]).join('')).toBe('NSWNSWNSWNSWNWNWNWWWWW');
    const groups = new Map(sink.of('infrastructure_areagroup').map((g) => [g.id, g]));
    const parents = new Set(sink.of('infrastructure_areagroup').map((g) => g.parent_id));
    for (const area of sink.of('infrastructure_area')) {
      const group = groups.get(area.area_group_id ?? -1);
      expect(group?.geography_id).toBe(area.geography_id);
      expect(parents.has(group?.id ?? -1)).toBe(false);
    }
  });
});
