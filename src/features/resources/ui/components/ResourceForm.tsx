import { Alert, Anchor, Button, Checkbox, Group, Input, MultiSelect, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../../../client/api.js';
import { ErrorAlert, errorMessage } from '../../../../client/components/ErrorAlert.js';
import { type LanguageCode, languageCodes } from '../../../instruments/model/text.js';
import type { ResourceDetail, ResourceInput } from '../../resources.contract.js';
import { resourceAudiences, resourceGradeBands, resourceTypes, type ResourceType } from '../../resources.model.js';
import { useCreateResourceMutation, useUpdateResourceMutation, useUploadFileMutation } from '../resources.api.js';
import { useResourceLabels } from './labels.js';

export type FormMode = 'suggest' | 'add' | 'edit';
/** Where a new resource goes: the organisation a suggestion comes from, or the network whose library it joins. */
export interface Target {
  id: number;
  name: string;
}

/** Fields the form shows; an error on any other field goes to the alert above the buttons. */
const FIELDS = ['orgId', 'networkId', 'type', 'title', 'summary', 'audiences', 'gradeBands', 'languages', 'elements', 'url', 'source', 'licence', 'file'] as const;
type Field = (typeof FIELDS)[number];

/** The server's message for a field or anything inside it ("title" also takes "title.fr"). */
function errorUnder(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError) || !error.field) return undefined;
  if (error.field !== field && !error.field.startsWith(`${field}.`)) return undefined;
  // Schema messages name their path and place ("title.en: … (in body)"); under the field both are noise.
  return error.message.replace(/^[\w.]+: /, '').replace(/ \(in (body|querystring|params)\)$/, '');
}

/** Largest file the server takes (50 MB). */
const MAX_FILE = 50 * 1024 * 1024;

/** Moves the keyboard to the first field at fault, else to the alert. */
function focusFirstError(form: HTMLElement | null, fallback: HTMLElement | null): void {
  const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  const inGroup = form?.querySelector('.mantine-InputWrapper-error')?.closest('.mantine-InputWrapper-root')?.querySelector<HTMLElement>('input, textarea, select');
  (invalid ?? inGroup ?? fallback)?.focus();
}

const URL_RULE = /^\/(?!\/)\S*$|^https?:\/\/[^\s/$.?#]\S*$/i;

/**
 * A resource's description: type, title and summary in the reader's language, tags, where it
 * comes from, a link and a file. Suggests one, adds one to a network's library, or changes one.
 */
export function ResourceForm({ mode, initial, targets = [], onDone, onCancel }: { mode: FormMode; initial?: ResourceDetail; targets?: Target[]; onDone: (r: ResourceDetail) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const labels = useResourceLabels();
  const lang = labels.lang;
  const formRef = useRef<HTMLFormElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const fileId = useId();
  const create = useCreateResourceMutation();
  const update = useUpdateResourceMutation(initial?.id ?? 0);
  const upload = useUploadFileMutation();

  const [target, setTarget] = useState<number | undefined>(targets[0]?.id);
  const [type, setType] = useState<ResourceType>(initial?.type ?? 'guide');
  const [title, setTitle] = useState(initial?.title[lang] ?? '');
  const [summary, setSummary] = useState(initial?.summary[lang] ?? '');
  const [audiences, setAudiences] = useState<string[]>(initial?.audiences ?? []);
  const [gradeBands, setGradeBands] = useState<string[]>(initial?.gradeBands ?? []);
  const [languages, setLanguages] = useState<string[]>(initial?.languages ?? [lang]);
  const [elements, setElements] = useState<string[]>(initial?.elements ?? []);
  const [url, setUrl] = useState(initial?.url ?? '');
  const [source, setSource] = useState(initial?.source ?? '');
  const [licence, setLicence] = useState(initial?.licence ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [checks, setChecks] = useState<Partial<Record<Field, string>>>({});
  /** A new resource saved whose file did not go through: a second try sends only the file. */
  const [saved, setSaved] = useState<ResourceDetail | null>(null);

  // The description's errors come from saving it; every error of the upload belongs to the file.
  const formError = saved ? null : (create.error ?? update.error);
  const busy = create.isPending || update.isPending || upload.isPending;
  const err = (field: Field) => checks[field] ?? errorUnder(formError, field);
  const fileError = checks.file ?? (upload.error ? errorMessage(upload.error, t) : undefined);
  const general = formError && !FIELDS.some((f) => errorUnder(formError, f)) ? formError : null;

  useEffect(() => {
    if (formError || upload.error || Object.keys(checks).length) focusFirstError(formRef.current, alertRef.current);
  }, [formError, upload.error, checks]);

  const inLanguage = t(`resources.inLanguage.${lang}`);
  // Editing keeps the other languages' text; the field holds the reader's language only.
  const otherTitle = initial && !initial.title[lang] ? (initial.title.en ?? initial.title.fr ?? initial.title.es) : undefined;
  const otherSummary = initial && !initial.summary[lang] ? (initial.summary.en ?? initial.summary.fr ?? initial.summary.es) : undefined;

  const textOf = (value: string, before: ResourceDetail['title'] | undefined) => {
    const next: Partial<Record<LanguageCode, string>> = { ...(before ?? {}) };
    if (value.trim()) next[lang] = value.trim();
    else if (before) delete next[lang];
    return next;
  };

  const sendFile = (r: ResourceDetail) => {
    if (!file) return onDone(r);
    upload.mutate({ id: r.id, file }, { onSuccess: onDone, onError: () => setSaved(r) });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (saved) return sendFile(saved);
    const found: Partial<Record<Field, string>> = {};
    if (!title.trim() && !otherTitle) found.title = t('resources.form.needTitle');
    if (!summary.trim() && !otherSummary) found.summary = t('resources.form.needSummary');
    if (!languages.length) found.languages = t('resources.form.needLanguage');
    if (url.trim() && !URL_RULE.test(url.trim())) found.url = t('resources.form.badUrl');
    if (file && file.size === 0) found.file = t('resources.form.emptyFile');
    if (file && file.size > MAX_FILE) found.file = t('resources.form.bigFile');
    setChecks(found);
    if (Object.keys(found).length) return;
    const body: ResourceInput = {
      type,
      title: textOf(title, initial?.title),
      summary: textOf(summary, initial?.summary),
      audiences: audiences as ResourceInput['audiences'],
      gradeBands: gradeBands as ResourceInput['gradeBands'],
      languages: languageCodes.filter((l) => languages.includes(l)),
      elements,
      url: url.trim() || null,
      source: source.trim(),
      licence: licence.trim(),
    };
    if (mode === 'edit') update.mutate(body, { onSuccess: sendFile });
    else create.mutate({ body, target: mode === 'add' ? { networkId: target! } : { orgId: target! } }, { onSuccess: sendFile });
  };

  const targetField = mode === 'add' ? 'networkId' : 'orgId';
  return (
    <form ref={formRef} onSubmit={submit} noValidate>
      <Stack gap="md">
        {mode !== 'edit' &&
          (targets.length > 1 ? (
            <NativeSelect
              label={t(mode === 'add' ? 'resources.form.network' : 'resources.form.org')}
              value={String(target)}
              onChange={(e) => setTarget(Number(e.currentTarget.value))}
              data={targets.map((o) => ({ value: String(o.id), label: o.name }))}
              error={err(targetField)}
            />
          ) : (
            <Text>{t(mode === 'add' ? 'resources.form.networkOne' : 'resources.form.orgOne', { name: targets[0]?.name ?? '' })}</Text>
          ))}
        {mode === 'suggest' && <Text size="sm">{t('resources.form.suggestHelp')}</Text>}
        <NativeSelect label={t('resources.fields.type')} value={type} onChange={(e) => setType(e.currentTarget.value as ResourceType)} data={resourceTypes.map((v) => ({ value: v, label: labels.type(v) }))} error={err('type')} />
        <TextInput
          label={t('resources.form.titleIn', { language: inLanguage })}
          description={otherTitle ? t('resources.form.keptText', { text: otherTitle }) : undefined}
          required={!otherTitle}
          lang={lang}
          maxLength={4000}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          error={err('title')}
        />
        <Textarea
          label={t('resources.form.summaryIn', { language: inLanguage })}
          description={otherSummary ? t('resources.form.keptText', { text: otherSummary.length > 140 ? `${otherSummary.slice(0, 140)}…` : otherSummary }) : t('resources.form.summaryHelp')}
          required={!otherSummary}
          lang={lang}
          autosize
          minRows={3}
          maxLength={4000}
          value={summary}
          onChange={(e) => setSummary(e.currentTarget.value)}
          error={err('summary')}
        />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Checkbox.Group label={t('resources.fields.audiences')} value={audiences} onChange={setAudiences} error={err('audiences')}>
            <Stack gap={6} mt="xs">
              {resourceAudiences.map((v) => (
                <Checkbox key={v} value={v} label={labels.audience(v)} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Checkbox.Group label={t('resources.fields.gradeBands')} description={t('resources.form.gradeHelp')} value={gradeBands} onChange={setGradeBands} error={err('gradeBands')}>
            <Stack gap={6} mt="xs">
              {resourceGradeBands.map((v) => (
                <Checkbox key={v} value={v} label={labels.grade(v)} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Checkbox.Group label={t('resources.fields.languages')} description={t('resources.form.languagesHelp')} required value={languages} onChange={setLanguages} error={err('languages')}>
            <Stack gap={6} mt="xs">
              {languageCodes.map((v) => (
                <Checkbox key={v} value={v} label={labels.language(v)} />
              ))}
            </Stack>
          </Checkbox.Group>
        </SimpleGrid>
        <MultiSelect
          label={t('resources.fields.elements')}
          description={t('resources.form.elementsHelp')}
          data={labels.groups.map((g) => ({ group: g.name, items: g.elements.map((e) => ({ value: e.ref, label: e.name })) }))}
          value={elements}
          onChange={setElements}
          searchable
          clearable
          maxValues={20}
          nothingFoundMessage={t('resources.form.noElement')}
          comboboxProps={{ withinPortal: true }}
          error={err('elements')}
        />
        <TextInput label={t('resources.fields.url')} description={t('resources.form.urlHelp')} type="url" inputMode="url" value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={err('url')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('resources.fields.source')} description={t('resources.form.sourceHelp')} maxLength={300} value={source} onChange={(e) => setSource(e.currentTarget.value)} error={err('source')} />
          <TextInput label={t('resources.fields.licence')} description={t('resources.form.licenceHelp')} maxLength={100} value={licence} onChange={(e) => setLicence(e.currentTarget.value)} error={err('licence')} />
        </SimpleGrid>
        <Input.Wrapper
          id={fileId}
          label={t('resources.fields.file')}
          description={initial?.file ? t('resources.form.fileReplace', { name: initial.file.name }) : t('resources.form.fileHelp')}
          error={fileError}
        >
          <input
            id={fileId}
            type="file"
            className="resource-file-input"
            aria-invalid={fileError ? true : undefined}
            aria-describedby={`${fileError ? `${fileId}-error ` : ''}${fileId}-description`}
            onChange={(e) => {
              setFile(e.currentTarget.files?.[0] ?? null);
              upload.reset();
            }}
          />
        </Input.Wrapper>
        {saved && (
          <Alert color="yellow" role="status" title={t('resources.form.savedNoFile')}>
            {t('resources.form.savedNoFileHelp')}{' '}
            <Anchor component={Link} to={`/resources/${saved.id}`}>
              {t('resources.form.openSaved')}
            </Anchor>
          </Alert>
        )}
        <div ref={alertRef} tabIndex={-1}>
          <ErrorAlert error={general} />
        </div>
        <Group>
          <Button type="submit" loading={busy}>
            {saved ? t('resources.form.retryFile') : t(`resources.form.submit.${mode}`)}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
