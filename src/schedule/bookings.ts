/**
 * Who holds what when: half-open [start, end) day-number intervals per resource (a hall, a ring or
 * a container name). Both the planner and the validator of hand-edited schedules book through it,
 * so "free" means the same in both: a container left on day D is free for the next batch on day D,
 * as AquaMind's assignment dates [assignment_date, departure_date) read.
 */

export interface Booking {
  start: number;
  end: number;
  /** The batch holding it. */
  holder: string;
}

export class Bookings {
  private readonly byResource = new Map<string, Booking[]>();

  /** The booking of `name` overlapping [start, end), if any. */
  clash(name: string, start: number, end: number): Booking | undefined {
    return this.byResource.get(name)?.find((b) => start < b.end && b.start < end);
  }

  free(name: string, start: number, end: number): boolean {
    return this.clash(name, start, end) === undefined;
  }

  book(name: string, start: number, end: number, holder: string): void {
    let list = this.byResource.get(name);
    if (!list) this.byResource.set(name, (list = []));
    list.push({ start, end, holder });
  }

  /** Days of [start, end) that `name` is booked. */
  bookedDays(name: string, start: number, end: number): number {
    let days = 0;
    for (const b of this.byResource.get(name) ?? []) days += Math.max(0, Math.min(end, b.end) - Math.max(start, b.start));
    return days;
  }

  /** The last day `name` was released on or before `day` (-Infinity if never held before it). */
  releasedBefore(name: string, day: number): number {
    let last = Number.NEGATIVE_INFINITY;
    for (const b of this.byResource.get(name) ?? []) if (b.end <= day && b.end > last) last = b.end;
    return last;
  }

  /** Whether `name` is held on `day`. */
  heldOn(name: string, day: number): boolean {
    return this.byResource.get(name)?.some((b) => b.start <= day && day < b.end) ?? false;
  }
}
