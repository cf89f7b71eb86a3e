import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { InstrumentDefinition } from '../../features/instruments/model/instrument.schema.js';
import { allSlots, specOf } from '../../features/instruments/model/item-types.js';
import { loadPublishedDefinition } from '../../features/instruments/server/instruments.service.js';
import { randomCode, LINK_CODE_LENGTH } from '../../features/surveys/server/surveys.codes.js';
import { encodeResponse } from '../../features/surveys/server/surveys.public.js';
import { rollUpResponses } from '../../features/surveys/server/surveys.rollup.js';
import { surveyAdministrations, surveySites } from '../../features/surveys/server/surveys.tables.js';
import { responseColumns, responseValues } from '../../features/surveys/server/surveys.writer.js';
import { type Tx } from '../db/client.js';
import { random } from './demo.assessments.js';

/** The open demo survey's link, shown in the README: answer it in a second tab and watch the count. */
export const DEMO_OPEN_LINK = 'ALDERCREEK';

interface DemoSchool {
  id: number;
  stateId: number | null;
  districtId: number;
  code: string;
  gradeSpan: string | null;
  enrolment: number | null;
  country: string | null;
}

const notice = {
  en: 'Families were told about this survey and could choose for their child not to take part.',
  fr: 'Les familles ont été informées de ce sondage et pouvaient choisir que leur enfant n’y participe pas.',
  es: 'Las familias recibieron información sobre esta encuesta y podían decidir que su hijo o hija no participara.',
};
const assent = {
  en: 'This survey asks how school feels for you. Your name is not asked. You can skip any question or stop at any time.',
  fr: 'Ce sondage demande comment tu te sens à l’école. On ne te demande pas ton nom. Tu peux passer une question ou arrêter quand tu veux.',
  es: 'Esta encuesta pregunta cómo te sientes en la escuela. No se pide tu nombre. Puedes saltar cualquier pregunta o parar cuando quieras.',
};
const staffAssent = {
  en: 'This survey asks about school climate and support for students. Answers are anonymous and reported only for groups.',
  fr: 'Ce sondage porte sur le climat scolaire et le soutien aux élèves. Les réponses sont anonymes et présentées seulement par groupe.',
  es: 'Esta encuesta pregunta sobre el clima escolar y el apoyo a los estudiantes. Las respuestas son anónimas y se informan solo por grupos.',
};

/** Normal-ish noise from the seeded generator (sum of three uniforms). */
const noise = (rnd: () => number, sd: number) => (rnd() + rnd() + rnd() - 1.5) * sd * 2;
const pickWeighted = <T>(rnd: () => number, options: [T, number][]): T => {
  let x = rnd() * options.reduce((n, [, w]) => n + w, 0);
  for (const [v, w] of options) if ((x -= w) <= 0) return v;
  return options[options.length - 1][0];
};

/** Scale of each rated question, whether it is worded the other way round, and its number of points. */
function itemScales(def: InstrumentDefinition) {
  const points = new Map(allSlots(def).map((slot) => [slot.id, specOf(slot.item).range?.(slot.item as never, { labelSets: def.labelSets })?.max ?? 5]));
  const out = new Map<string, { scale: string; reverse: boolean; points: number }>();
  for (const s of def.scales) for (const id of s.items) out.set(id, { scale: s.id, reverse: (s.reverse ?? []).includes(id), points: points.get(id) ?? 5 });
  return out;
}

/** A 1–5 leaning put on a question's own points (a four-point scale too), turned round for reverse wording. */
function onScale(v: number, { points, reverse }: { points: number; reverse: boolean }): number {
  const p = Math.round(1 + ((v - 1) * (points - 1)) / 4);
  return reverse ? points + 1 - p : p;
}

/**
 * One synthetic respondent. Groups differ the way school surveys often find: belonging and
 * safety lower for non-binary students, relationships lower for newcomers, engagement falling
 * with grade; schools differ, and Cedar Valley's schools improve from spring to fall.
 */
function studentAnswers(def: InstrumentDefinition, rnd: () => number, school: { effect: number; country: string | null }, lift: number): Record<string, unknown> {
  const grades = (def.sections.flatMap((s) => s.items).find((i) => i.id === 'grade') as { choices: { value: string }[] }).choices.map((c) => c.value);
  const grade = rnd() < 0.04 ? 'PNS' : grades[Math.floor(rnd() * grades.length)];
  const gender = pickWeighted(rnd, [['girl', 46], ['boy', 46], ['non_binary', 3.5], ['another_way', 2.5], ['PNS', 2]]);
  const home = school.country === 'CA' ? pickWeighted(rnd, [['en', 78], ['fr', 15], ['other', 5], ['PNS', 2]]) : pickWeighted(rnd, [['en', 68], ['es', 26], ['other', 4], ['PNS', 2]]);
  const groups = (['disability', 'newcomer', 'indigenous', 'moves_often'] as const).filter((g) => rnd() < { disability: 0.12, newcomer: 0.08, indigenous: school.country === 'CA' ? 0.15 : 0.03, moves_often: 0.06 }[g]);
  const gradeStep = Math.max(0, grades.indexOf(grade));
  const shift = (scale: string) => {
    let d = school.effect + lift;
    if (gender === 'non_binary') d -= scale === 'belonging' || scale === 'safety' ? 0.7 : 0.35;
    if (gender === 'another_way') d -= 0.3;
    if (groups.includes('newcomer') && (scale === 'adult_relationships' || scale === 'peer_relationships')) d -= 0.45;
    if (groups.includes('disability') && (scale === 'belonging' || scale === 'peer_relationships')) d -= 0.35;
    if (groups.includes('moves_often')) d -= 0.2;
    if (scale === 'engagement' || scale === 'voice') d -= gradeStep * 0.09;
    return d;
  };
  const base: Record<string, number> = { belonging: 3.7, adult_relationships: 3.8, peer_relationships: 3.6, safety: 3.7, fairness: 3.4, voice: 3.1, engagement: 3.5 };
  const answers: Record<string, unknown> = { grade, gender_identity: gender, home_language: home, self_described_group: rnd() < 0.04 ? ['PNS'] : groups.length ? groups : ['none'] };
  const person = noise(rnd, 0.35);
  for (const [item, info] of itemScales(def)) {
    if (rnd() < 0.03) continue;
    const v = Math.min(5, Math.max(1, Math.round((base[info.scale] ?? 3.5) + shift(info.scale) + person + noise(rnd, 0.7))));
    answers[item] = onScale(v, info);
  }
  return answers;
}

function staffAnswers(def: InstrumentDefinition, rnd: () => number, school: { effect: number }): Record<string, unknown> {
  const answers: Record<string, unknown> = {
    role: pickWeighted(rnd, [['teacher', 60], ['classroom_support', 12], ['student_services', 8], ['school_leader', 4], ['support_staff', 12], ['other', 2], ['PNS', 2]]),
    years_at_school: pickWeighted(rnd, [['under_1', 12], ['1_2', 18], ['3_5', 25], ['6_10', 22], ['over_10', 21], ['PNS', 2]]),
  };
  const person = noise(rnd, 0.35);
  for (const [item, info] of itemScales(def)) {
    if (rnd() < 0.02) continue;
    const base = info.scale === 'professional_learning' ? 3.2 : info.scale === 'family_partnership' ? 3.6 : 3.8;
    const v = Math.min(5, Math.max(1, Math.round(base + school.effect + person + noise(rnd, 0.65))));
    answers[item] = onScale(v, info);
  }
  return answers;
}

/** Weekdays between two dates (inclusive), as YYYY-MM-DD. */
function weekdays(from: Date, to: Date): string[] {
  const out: string[] = [];
  for (let d = new Date(from); d <= to; d = new Date(d.getTime() + 86_400_000)) if (d.getUTCDay() % 6 !== 0) out.push(d.toISOString().slice(0, 10));
  return out;
}

/**
 * The demo's surveys: last spring's and this fall's student surveys (secondary and upper
 * elementary) and a fall staff survey across the network, closed, with tens of thousands of
 * synthetic responses already counted into the roll-ups; and one open student check-in at Alder
 * Creek Elementary whose link is `/s/ALDERCREEK`.
 */
export async function seedDemoSurveys(tx: Tx, opts: { network: { id: number; stateId: null }; cedarValleyId: number; alderCreekId: number; createdBy: number; schools: DemoSchool[]; now?: Date }): Promise<{ administrations: number; responses: number }> {
  const now = opts.now ?? new Date();
  const ids = ['student_connectedness_secondary', 'student_connectedness_elementary', 'staff_connectedness'] as const;
  const defs = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await loadPublishedDefinition(tx as never, id, 1)] as const))) as Record<(typeof ids)[number], InstrumentDefinition | null>;
  if (!defs.student_connectedness_secondary || !defs.student_connectedness_elementary || !defs.staff_connectedness) return { administrations: 0, responses: 0 };
  // The latest fall window that has closed, and the spring before it.
  const year = now.getUTCMonth() > 9 || (now.getUTCMonth() === 9 && now.getUTCDate() > 30) ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  const windows = {
    spring: { label: `Spring ${year}`, opens: new Date(Date.UTC(year, 3, 6, 15)), closes: new Date(Date.UTC(year, 3, 30, 23)), lift: 0 },
    fall: { label: `Fall ${year}`, opens: new Date(Date.UTC(year, 9, 5, 15)), closes: new Date(Date.UTC(year, 9, 30, 23)), lift: 0.25 },
  };
  const elementary = (s: DemoSchool) => s.gradeSpan === 'K-5';
  const effects = new Map(opts.schools.map((s) => [s.id, noise(random(s.id * 104_729), 0.3)]));
  let administrations = 0;
  let responses = 0;

  const administer = async (a: { title: string; def: InstrumentDefinition; orgId: number; opens: Date; closes: Date; demographics: string[]; assent: typeof assent; sites: DemoSchool[]; codes?: Map<number, string>; accessCodes?: boolean }) => {
    const [row] = await tx
      .insert(surveyAdministrations)
      .values({
        orgId: a.orgId, stateId: null, instrumentId: a.def.id, instrumentVersion: a.def.version, title: a.title, audience: a.def.audience, languages: ['en', 'fr', 'es'],
        opensAt: a.opens, closesAt: a.closes, timeZone: 'America/Los_Angeles', consentModel: 'passive', notice, assent: a.assent, demographics: a.demographics,
        openLink: true, accessCodes: a.accessCodes ?? false, createdBy: opts.createdBy,
      })
      .returning({ id: surveyAdministrations.id });
    // Closed surveys had a few "no thanks"; the open one starts from nothing.
    const past = a.closes < now;
    await tx.insert(surveySites).values(a.sites.map((s) => ({ administrationId: row.id, orgId: s.id, linkCode: a.codes?.get(s.id) ?? randomCode(LINK_CODE_LENGTH), declined: past ? Math.floor((s.enrolment ?? 300) * 0.01) : 0 })));
    administrations++;
    return row.id;
  };

  const fill = async (administrationId: number, def: InstrumentDefinition, sites: DemoSchool[], days: string[], count: (s: DemoSchool, rnd: () => number) => number, answersOf: (rnd: () => number, s: DemoSchool) => Record<string, unknown>) => {
    const rows: ReturnType<typeof sql>[] = [];
    for (const s of sites) {
      const rnd = random(s.id * 31 + administrationId * 7);
      for (let i = count(s, rnd); i > 0; i--) {
        const answers = rnd() < 0.01 ? {} : answersOf(rnd, s);
        const home = answers.home_language;
        const language = home === 'es' ? 'es' : home === 'fr' ? 'fr' : 'en';
        const submittedOn = days[Math.floor(rnd() * days.length)];
        const r = { administrationId, orgId: s.id, stateId: s.stateId, instrumentVersion: def.version, language, submissionId: randomUUID(), ...encodeResponse(def, answers), blank: Object.keys(answers).length === 0, submittedOn };
        rows.push(sql`(${responseValues(r)})`);
      }
    }
    for (let i = 0; i < rows.length; i += 500) await tx.execute(sql`insert into survey_responses (${responseColumns}) values ${sql.join(rows.slice(i, i + 500), sql`, `)}`);
    responses += rows.length;
  };

  for (const w of Object.values(windows)) {
    const days = weekdays(w.opens, w.closes);
    for (const [def, sites, band] of [
      [defs.student_connectedness_secondary, opts.schools.filter((s) => !elementary(s)), 'grades 6–12'],
      [defs.student_connectedness_elementary, opts.schools.filter(elementary), 'grades 3–6'],
    ] as const) {
      const id = await administer({ title: `${w.label} student survey (${band})`, def, orgId: opts.network.id, opens: w.opens, closes: w.closes, demographics: ['grade', 'gender_identity', 'home_language', 'self_described_group'], assent, sites });
      // Most students answer; Cedar Valley's schools gain from spring to fall.
      await fill(id, def, sites, days, (s, rnd) => Math.round((s.enrolment ?? 300) * (0.6 + rnd() * 0.3)), (rnd, s) =>
        studentAnswers(def, rnd, { effect: effects.get(s.id)!, country: s.country }, s.districtId === opts.cedarValleyId ? w.lift : w.lift / 4),
      );
    }
  }
  const staffDays = weekdays(windows.fall.opens, windows.fall.closes);
  const staffId = await administer({ title: `${windows.fall.label} staff survey`, def: defs.staff_connectedness, orgId: opts.network.id, opens: windows.fall.opens, closes: windows.fall.closes, demographics: ['role', 'years_at_school'], assent: staffAssent, sites: opts.schools });
  await fill(staffId, defs.staff_connectedness, opts.schools, staffDays, (s) => Math.max(12, Math.round((s.enrolment ?? 300) / 14)), (rnd, s) => staffAnswers(defs.staff_connectedness!, rnd, { effect: effects.get(s.id)! }));

  // Open now, for a few weeks: the check-in a newcomer can answer at /s/ALDERCREEK.
  const alder = opts.schools.find((s) => s.id === opts.alderCreekId);
  if (alder) {
    await administer({
      title: 'Student check-in (grades 3–6)', def: defs.student_connectedness_elementary, orgId: opts.cedarValleyId, opens: new Date(now.getTime() - 2 * 86_400_000), closes: new Date(now.getTime() + 45 * 86_400_000),
      demographics: ['grade', 'gender_identity'], assent, sites: [alder], codes: new Map([[alder.id, DEMO_OPEN_LINK]]), accessCodes: true,
    });
  }
  while ((await rollUpResponses(tx, 5000)) > 0);
  return { administrations, responses };
}
