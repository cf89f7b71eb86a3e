import { Alert, Anchor, Badge, Button, Group, Loader, Modal, Paper, Progress, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../client/api.js';
import i18n from '../../../client/i18n.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { calcValues, visibleItems } from '../../instruments/model/answers.js';
import type { InstrumentDefinition, Item } from '../../instruments/model/instrument.schema.js';
import { type AnswerValue, specOf } from '../../instruments/model/item-types.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import { Question } from '../../instruments/ui/items/questions.js';
import type { AnswerView, AssessmentDetail } from '../assessments.contract.js';
import { fetchChanges, saveAnswer, useAssessmentQuery, useReopenMutation, useSubmitMutation } from './assessments.api.js';

const POLL_MS = 4000;
const TYPING_MS = 600;

/**
 * A team fills an assessment together: every answer saves as it is given, one question at a time,
 * and what others change appears within seconds (marked with who changed it).
 */
export function AssessmentPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const detail = useAssessmentQuery(id);
  if (detail.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (detail.error || !detail.data) {
    return (
      <>
        <PageTitle>{t('assessments.notFound')}</PageTitle>
        <ErrorAlert error={detail.error} />
      </>
    );
  }
  return <AssessmentForm key={`${detail.data.id}-${detail.data.status}`} detail={detail.data} />;
}

function AssessmentForm({ detail }: { detail: AssessmentDetail }) {
  const { t, i18n: ui } = useTranslation();
  const lang = (detail.definition.languages.includes(ui.language as LanguageCode) ? ui.language : detail.definition.defaultLanguage) as LanguageCode;
  const def = detail.definition;
  const [answers, setAnswers] = useState<Map<string, AnswerView>>(() => new Map(detail.answers.map((a) => [a.slotId, a])));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [othersChanged, setOthersChanged] = useState<Map<string, string>>(new Map());
  const [status, setStatus] = useState(detail.status);
  const cursor = useRef(detail.readAt);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const mine = useRef(new Set<string>());
  const submit = useSubmitMutation(detail.id);
  const reopen = useReopenMutation(detail.id);
  const [confirming, confirm] = useDisclosure(false);
  const canAnswer = detail.can.answer && status === 'in_progress';

  // Others' changes, every few seconds, merged by slot (the newer save wins).
  useEffect(() => {
    if (status !== 'in_progress') return;
    const timer = setInterval(async () => {
      try {
        const changes = await fetchChanges(detail.id, cursor.current);
        cursor.current = changes.readAt;
        if (changes.status !== 'in_progress') setStatus(changes.status);
        if (!changes.answers.length) return;
        setAnswers((prev) => {
          const next = new Map(prev);
          for (const a of changes.answers) {
            const local = prev.get(a.slotId);
            if (mine.current.has(a.slotId) && timers.current.has(a.slotId)) continue;
            if (!local || local.updatedAt < a.updatedAt) next.set(a.slotId, a);
          }
          return next;
        });
        setOthersChanged((prev) => {
          const next = new Map(prev);
          for (const a of changes.answers) if (!mine.current.has(a.slotId) && a.updatedBy) next.set(a.slotId, a.updatedBy);
          return next;
        });
      } catch {
        // A missed poll is retried at the next tick.
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [detail.id, status]);

  const values = useMemo(() => {
    const v: Record<string, AnswerValue> = {};
    for (const [slot, a] of answers) if (a.value !== null && a.value !== undefined) v[slot] = a.value as AnswerValue;
    return v;
  }, [answers]);
  const shown = useMemo(() => visibleItems(def, values), [def, values]);
  const computed = useMemo(() => calcValues(def, values), [def, values]);
  const respondentT = useMemo(() => i18n.getFixedT(lang), [lang]);

  const persist = (slotId: string, body: { value?: unknown; note?: string | null; evidence?: string[] | null }) => {
    mine.current.add(slotId);
    saveAnswer(detail.id, slotId, body)
      .then((saved) => {
        setAnswers((prev) => new Map(prev).set(slotId, saved));
        setErrors((prev) => {
          const next = new Map(prev);
          next.delete(slotId);
          return next;
        });
      })
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 409) setStatus('submitted');
        setErrors((prev) => new Map(prev).set(slotId, err instanceof ApiError ? err.message : t('errors.internal')));
      })
      .finally(() => timers.current.delete(slotId));
  };

  const onAnswer = (slotId: string, value: AnswerValue | undefined) => {
    if (!canAnswer) return;
    setAnswers((prev) => new Map(prev).set(slotId, { ...(prev.get(slotId) ?? { slotId, note: null, evidence: null, updatedBy: null, updatedAt: '' }), value: value ?? null }));
    setOthersChanged((prev) => {
      const next = new Map(prev);
      next.delete(slotId);
      return next;
    });
    // Typing saves after a pause; a click saves at once.
    const old = timers.current.get(slotId);
    if (old) clearTimeout(old);
    timers.current.set(slotId, setTimeout(() => persist(slotId, { value: value ?? null }), typeof value === 'string' || typeof value === 'number' ? TYPING_MS : 0));
  };

  const text = (x: Parameters<typeof pick>[0]) => pick(x, lang, def.defaultLanguage);
  const progress = def.sections.map((s) => {
    const slots = s.items.filter((i) => shown.has(i.id)).flatMap((i) => (specOf(i).answerable ? specOf(i).slots(i) : []));
    return { id: s.id, answered: slots.filter((x) => values[x.id] !== undefined).length, total: slots.length };
  });
  const answered = progress.reduce((n, p) => n + p.answered, 0);
  const total = progress.reduce((n, p) => n + p.total, 0);
  return (
    <>
      <Group gap="xs" mb="xs">
        <Badge variant="light" c="dark.7" tt="none">
          {t(`assessments.terms.${detail.term}`)} {detail.schoolYear}
        </Badge>
        <Badge variant="light" color={status === 'submitted' ? 'teal' : 'yellow'} c="dark.7" tt="none">
          {t(`assessments.status.${status}`)}
        </Badge>
        <Anchor component={Link} to={`/orgs/${detail.orgId}/assessments`} size="sm">
          {detail.orgName}
        </Anchor>
      </Group>
      <PageTitle>{text(def.title)}</PageTitle>
      <Paper withBorder p="md" mb="lg" className="sticky-bar">
        <Group justify="space-between">
          <div style={{ flex: 1, minWidth: 200 }}>
            <Text size="sm" id="progress-label">
              {t('assessments.progress', { answered, total })}
            </Text>
            <Progress value={total ? (answered / total) * 100 : 0} aria-label={t('assessments.progress', { answered, total })} mt={4} />
          </div>
          {status === 'in_progress' && detail.can.submit && <Button onClick={confirm.open}>{t('assessments.submit')}</Button>}
          {status === 'submitted' && (
            <Group>
              <Button component={Link} to={`/assessments/${detail.id}/results`}>
                {t('assessments.seeResults')}
              </Button>
              {detail.can.reopen && (
                <Button variant="light" loading={reopen.isPending} onClick={() => reopen.mutate()}>
                  {t('assessments.reopen')}
                </Button>
              )}
            </Group>
          )}
        </Group>
        {!canAnswer && status === 'in_progress' && <Text size="sm" mt="xs">{t('assessments.readOnly')}</Text>}
      </Paper>
      <ErrorAlert error={submit.error ?? reopen.error} />
      <Stack gap="lg">
        {def.sections.map((section, si) => {
          const items = section.items.filter((i) => shown.has(i.id));
          if (!items.length) return null;
          return (
            <Paper key={section.id} withBorder p="lg" component="section" aria-labelledby={`sec-${section.id}`}>
              <Group justify="space-between" mb="xs">
                <Title order={2} size="h3" id={`sec-${section.id}`}>
                  {text(section.title)}
                </Title>
                <Text size="sm" c="dark.5">
                  {t('assessments.sectionProgress', { answered: progress[si].answered, total: progress[si].total })}
                </Text>
              </Group>
              {section.description && <Text mb="md">{text(section.description)}</Text>}
              <Stack gap="xl">
                {items.map((item) => (
                  <AssessmentItem
                    key={item.id}
                    item={item}
                    def={def}
                    lang={lang}
                    values={values}
                    answers={answers}
                    disabled={!canAnswer}
                    onAnswer={onAnswer}
                    onMeta={(slot, body) => persist(slot, body)}
                    error={errors}
                    changedBy={othersChanged}
                    t={respondentT}
                    computed={computed}
                  />
                ))}
              </Stack>
            </Paper>
          );
        })}
      </Stack>
      <Modal opened={confirming} onClose={confirm.close} title={t('assessments.submitTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Text mb="md">{t('assessments.submitConfirm', { answered, total })}</Text>
        <ErrorAlert error={submit.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={confirm.close}>
            {t('common.cancel')}
          </Button>
          <Button loading={submit.isPending} onClick={() => submit.mutate(undefined, { onSuccess: () => confirm.close() })}>
            {t('assessments.submit')}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

function AssessmentItem(props: {
  item: Item;
  def: InstrumentDefinition;
  lang: LanguageCode;
  values: Record<string, AnswerValue>;
  answers: Map<string, AnswerView>;
  disabled: boolean;
  onAnswer: (slot: string, value: AnswerValue | undefined) => void;
  onMeta: (slot: string, body: { note?: string | null; evidence?: string[] | null }) => void;
  error: Map<string, string>;
  changedBy: Map<string, string>;
  t: ReturnType<typeof i18n.getFixedT>;
  computed: ReturnType<typeof calcValues>;
}) {
  const { t } = useTranslation();
  const { item } = props;
  const slots = specOf(item).slots(item);
  const main = props.answers.get(item.id);
  const [open, { toggle }] = useDisclosure(Boolean(main?.note || main?.evidence?.length));
  const [note, setNote] = useState(main?.note ?? '');
  const [evidence, setEvidence] = useState((main?.evidence ?? []).join('\n'));
  const errors = slots.map((s) => props.error.get(s.id)).filter(Boolean);
  const changed = slots.map((s) => props.changedBy.get(s.id)).find(Boolean);
  const last = slots.map((s) => props.answers.get(s.id)).filter((a): a is AnswerView => !!a?.updatedAt).sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))[0];
  return (
    <div>
      <fieldset disabled={props.disabled} className="plain-fieldset">
        <Question item={item} def={props.def} lang={props.lang} answers={props.values} onAnswer={props.onAnswer} t={props.t} computed={props.computed} />
      </fieldset>
      {errors.length > 0 && (
        <Alert color="red" mt="xs" role="alert">
          {errors.join(' ')}
        </Alert>
      )}
      <Group gap="xs" mt={6}>
        {changed && (
          <Badge variant="light" color="blue" c="dark.7" tt="none" role="status">
            {t('assessments.changedBy', { name: changed })}
          </Badge>
        )}
        {last?.updatedBy && !changed && (
          <Text size="xs" c="dark.5">
            {t('assessments.lastBy', { name: last.updatedBy, time: new Date(last.updatedAt).toLocaleString() })}
          </Text>
        )}
        {specOf(item).answerable && (
          <Button variant="subtle" size="compact-xs" onClick={toggle} aria-expanded={open}>
            {t('assessments.noteEvidence')}
          </Button>
        )}
      </Group>
      {specOf(item).answerable && open && (
        <div>
          <Stack gap="xs" mt="xs" maw={640}>
            <Textarea label={t('assessments.note')} value={note} disabled={props.disabled} autosize minRows={2} onChange={(e) => setNote(e.currentTarget.value)} onBlur={() => note !== (main?.note ?? '') && props.onMeta(slots[0].id, { note: note || null })} />
            <TextInput
              label={t('assessments.evidence')}
              description={t('assessments.evidenceHelp')}
              value={evidence}
              disabled={props.disabled}
              onChange={(e) => setEvidence(e.currentTarget.value)}
              onBlur={() => {
                const links = evidence.split(/[\s,]+/).filter(Boolean);
                if (links.join('\n') !== (main?.evidence ?? []).join('\n')) props.onMeta(slots[0].id, { evidence: links.length ? links : null });
              }}
            />
          </Stack>
        </div>
      )}
    </div>
  );
}
