// Reads .ics files the way Thunderbird does (Mozilla's ical.js) and prints, as JSON,
// each event's UID with its start and end in UTC: {"file": [[uid, start, end], …]}.
// Each file's VTIMEZONEs are registered afresh, as a client importing that file would.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const result = {};
for (const file of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  ICAL.TimezoneService.reset();
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  result[file] = calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    return [
      event.uid,
      event.startDate.toJSDate().toISOString(),
      event.endDate.toJSDate().toISOString(),
    ];
  });
}
process.stdout.write(JSON.stringify(result));
