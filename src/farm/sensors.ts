/**
 * infrastructure_sensor, and the sensor → environmental parameter pairing kept in `Container.sensors`.
 *
 * AquaMind wrote the parameter's name into sensor_type ("Dissolved Oxygen") and paired readings by
 * that string; those values are not Sensor choices. Here sensor_type holds the model choice and the
 * pairing lives in the farm model instead: a sensor pairs with the parameter named like its label,
 * so rings pair Temperature, Dissolved Oxygen and pH, and their Salinity sensor (no such parameter
 * exists) never gets readings, exactly as in AquaMind.
 *
 * ID order: containers in ID order; within a container the labels in AquaMind's order. Racks have none.
 */
import type { RowSink } from '../rows/sink.js';
import type { Container, EnvironmentalParameter, FarmModel } from '../core/model.js';
import { containersInIdOrder } from './infrastructure-rows.js';
import { auditStamp } from '../rows/audit.js';

type SensorType = 'TEMPERATURE' | 'OXYGEN' | 'PH' | 'SALINITY' | 'CO2' | 'OTHER';

const SENSOR_TYPE_BY_LABEL: Readonly<Record<string, SensorType>> = {
  Temperature: 'TEMPERATURE',
  'Dissolved Oxygen': 'OXYGEN',
  pH: 'PH',
  CO2: 'CO2',
  NO2: 'OTHER',
  NO3: 'OTHER',
  NH4: 'OTHER',
  Salinity: 'SALINITY',
};

const FRESHWATER_LABELS = ['Temperature', 'Dissolved Oxygen', 'pH', 'CO2', 'NO2', 'NO3', 'NH4'] as const;
const SEA_LABELS = ['Temperature', 'Dissolved Oxygen', 'pH', 'Salinity'] as const;
const MANUFACTURER = 'AquaSense';

export interface PlannedSensor {
  id: number;
  containerId: number;
  containerName: string;
  /** AquaMind's sensor type string, e.g. "Dissolved Oxygen": names the sensor and pairs it. */
  label: string;
  sensorType: SensorType;
  parameterId: number | null;
}

function labelsOf(container: Container): readonly string[] {
  if (container.role === 'STRUCTURAL') return [];
  return container.hallId !== null ? FRESHWATER_LABELS : SEA_LABELS;
}

/** Every sensor of the farm, given its containers in ID order. */
export function layoutSensors(containers: readonly Container[], parameters: readonly EnvironmentalParameter[]): PlannedSensor[] {
  const parameterIdByName = new Map(parameters.map((p) => [p.name, p.id]));
  const sensors: PlannedSensor[] = [];
  for (const container of containers) {
    for (const label of labelsOf(container)) {
      sensors.push({
        id: sensors.length + 1,
        containerId: container.id,
        containerName: container.name,
        label,
        sensorType: SENSOR_TYPE_BY_LABEL[label] ?? 'OTHER',
        parameterId: parameterIdByName.get(label) ?? null,
      });
    }
  }
  return sensors;
}

function pairsByContainer(sensors: readonly PlannedSensor[]): Map<number, Container['sensors']> {
  const pairs = new Map<number, Container['sensors']>();
  for (const sensor of sensors) {
    if (sensor.parameterId === null) continue;
    const list = pairs.get(sensor.containerId) ?? [];
    list.push({ sensorId: sensor.id, parameterId: sensor.parameterId });
    pairs.set(sensor.containerId, list);
  }
  return pairs;
}

/** The containers with their sensor pairing filled in (containers in ID order). */
export function withSensors(containers: readonly Container[], parameters: readonly EnvironmentalParameter[]): Container[] {
  const pairs = pairsByContainer(layoutSensors(containers, parameters));
  return containers.map((c) => ({ ...c, sensors: pairs.get(c.id) ?? [] }));
}

/** infrastructure_sensor */
export function emitSensors(farm: FarmModel, sink: RowSink): void {
  const containers = containersInIdOrder(farm);
  const sensors = layoutSensors(containers, farm.parameters);
  assertPairing(containers, pairsByContainer(sensors));
  const stamp = auditStamp(farm.establishedOn);
  for (const sensor of sensors) {
    sink.emit('infrastructure_sensor', {
      id: sensor.id,
      name: `${sensor.containerName}-${sensor.label.replaceAll(' ', '')}`,
      sensor_type: sensor.sensorType,
      serial_number: `SN-${sensor.containerId}-${sensor.label.slice(0, 3).toUpperCase()}`,
      manufacturer: MANUFACTURER,
      installation_date: null,
      last_calibration_date: null,
      active: true,
      ...stamp,
      container_id: sensor.containerId,
    });
  }
}

/** The engine pairs readings through Container.sensors, so emitted sensors must be those very IDs. */
function assertPairing(containers: readonly Container[], pairs: ReadonlyMap<number, Container['sensors']>): void {
  for (const container of containers) {
    const expected = pairs.get(container.id) ?? [];
    const same =
      expected.length === container.sensors.length &&
      expected.every((p, i) => p.sensorId === container.sensors[i]?.sensorId && p.parameterId === container.sensors[i]?.parameterId);
    if (!same) throw new Error(`container ${container.name}: its sensors do not match the sensor layout`);
  }
}
