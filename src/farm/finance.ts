/**
 * Finance dimensions and policies of `01_initialize_finance_policies.py`: finance_dimcompany
 * (geography × subsidiary), finance_dimsite (a site per station and per area) and
 * finance_intercompanypolicy (FW→FM smolt delivery, FM→LG harvest per grade).
 *
 * ID order: companies per geography FW, FM, LG (Faroe Islands 1-3, Scotland 4-6); sites for
 * stations in station ID order, then areas in area ID order; policies per geography FW→FM, then
 * FM→LG per grade in grade ID order.
 */
import type { RowSink } from '../rows/sink.js';
import type { Area, FarmModel, Geography, ProductGrade, Station } from '../core/model.js';
import type { GeographyName } from '../core/layout.js';
import { auditStamp } from '../rows/audit.js';
import { lookup, required } from './catalog.js';

type Subsidiary = 'FW' | 'FM' | 'LG';
const SUBSIDIARIES: readonly Subsidiary[] = ['FW', 'FM', 'LG'];

const CURRENCIES: readonly { geography: GeographyName; currency: string }[] = [
  { geography: 'Faroe Islands', currency: 'EUR' },
  { geography: 'Scotland', currency: 'GBP' },
];

const SMOLT_DELIVERY_MARKUP_PERCENT = 15;
const HARVEST_MARKUP_PERCENT = 10;

export type FinanceIds = FarmModel['finance'];

export function buildFinance(
  geographies: readonly Geography[],
  stations: readonly Station[],
  areas: readonly Area[],
  productGrades: readonly ProductGrade[],
): FinanceIds {
  const companyIds = new Map(
    geographies.map((g, index) => {
      const first = index * SUBSIDIARIES.length + 1;
      return [g.id, { FW: first, FM: first + 1, LG: first + 2 }] as const;
    }),
  );
  const siteIdByStation = new Map(stations.map((s, index) => [s.id, index + 1]));
  const siteIdByArea = new Map(areas.map((a, index) => [a.id, stations.length + index + 1]));
  const currencyByGeography = new Map(
    geographies.map((g) => [g.id, lookup(CURRENCIES, (c) => c.geography === g.name, `currency of ${g.name}`).currency] as const),
  );
  // Per geography: FW→FM, then FM→LG for each grade in grade ID order (emitIntercompanyPolicies' order).
  const grades = [...productGrades].sort((a, b) => a.id - b.id);
  const perGeography = 1 + grades.length;
  const policyIds = new Map(
    geographies.map((g, index) => {
      const first = index * perGeography + 1;
      return [g.id, { smoltDelivery: first, harvestByGrade: new Map(grades.map((grade, k) => [grade.id, first + 1 + k])) }] as const;
    }),
  );
  return {
    companyIds,
    siteIdByStation,
    siteIdByArea,
    currencyByGeography,
    policyIds,
    smoltDeliveryMarkupPercent: SMOLT_DELIVERY_MARKUP_PERCENT,
    harvestMarkupPercent: HARVEST_MARKUP_PERCENT,
  };
}

function companiesOf(farm: FarmModel, geographyId: number): { FW: number; FM: number; LG: number } {
  return required(farm.finance.companyIds, geographyId, `finance companies of geography ${geographyId}`);
}

/** finance_dimcompany */
export function emitCompanies(farm: FarmModel, sink: RowSink): void {
  const rows = farm.geographies.flatMap((geography) => {
    const companies = companiesOf(farm, geography.id);
    const currency = required(farm.finance.currencyByGeography, geography.id, `currency of ${geography.name}`);
    return SUBSIDIARIES.map((subsidiary) => ({
      company_id: companies[subsidiary],
      subsidiary,
      display_name: `${geography.name} - ${subsidiary}`,
      currency,
      nav_company_code: null,
      geography_id: geography.id,
    }));
  });
  for (const row of rows.sort((a, b) => a.company_id - b.company_id)) sink.emit('finance_dimcompany', row);
}

/** finance_dimsite: lower-case source models, the values AquaMind's services look sites up by. */
export function emitSites(farm: FarmModel, sink: RowSink): void {
  const rows = [
    ...farm.stations.map((s) => ({
      site_id: required(farm.finance.siteIdByStation, s.id, `site of ${s.name}`),
      source_model: 'station',
      source_pk: s.id,
      site_name: s.name,
      company_id: companiesOf(farm, s.geographyId).FW,
    })),
    ...farm.areas.map((a) => ({
      site_id: required(farm.finance.siteIdByArea, a.id, `site of ${a.name}`),
      source_model: 'area',
      source_pk: a.id,
      site_name: a.name,
      company_id: companiesOf(farm, a.geographyId).FM,
    })),
  ];
  for (const row of rows.sort((a, b) => a.site_id - b.site_id)) sink.emit('finance_dimsite', row);
}

/** finance_intercompanypolicy: grade-priced cost-plus policies; each (from, to, grade) once. */
export function emitIntercompanyPolicies(farm: FarmModel, sink: RowSink): void {
  const stamp = auditStamp(farm.establishedOn);
  const grades = [...farm.productGrades].sort((a, b) => a.id - b.id);
  const firstGrade = grades[0];
  if (!firstGrade) throw new RangeError('intercompany policies need product grades');
  const policy = (policyId: number, from: number, to: number, gradeId: number, markupPercent: number): void => {
    sink.emit('finance_intercompanypolicy', {
      policy_id: policyId,
      method: 'cost_plus',
      markup_percent: markupPercent,
      ...stamp,
      from_company_id: from,
      product_grade_id: gradeId,
      to_company_id: to,
      pricing_basis: 'grade',
      lifecycle_stage_id: null,
      price_per_kg: null,
      price_per_thousand_eggs: null,
    });
  };
  for (const geography of farm.geographies) {
    const companies = companiesOf(farm, geography.id);
    const ids = required(farm.finance.policyIds, geography.id, `policies of ${geography.name}`);
    policy(ids.smoltDelivery, companies.FW, companies.FM, firstGrade.id, farm.finance.smoltDeliveryMarkupPercent);
    for (const grade of grades) {
      const id = required(ids.harvestByGrade, grade.id, `harvest policy of grade ${grade.code}`);
      policy(id, companies.FM, companies.LG, grade.id, farm.finance.harvestMarkupPercent);
    }
  }
}
