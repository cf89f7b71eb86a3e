import { Alert, Badge, Button, Group, List, Loader, Modal, NativeSelect, SegmentedControl, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useMeQuery } from '../../../client/auth.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { fieldError } from '../../../client/forms.js';
import { elementNames, useFrameworksQuery } from '../../frameworks/ui/frameworks.api.js';
import { useOrgListQuery } from '../../organizations/ui/organizations.api.js';
import type { VersionDetail } from '../instruments.contract.js';
import type { InstrumentDefinition } from '../model/instrument.schema.js';
import { allItems } from '../model/item-types.js';
import { type LanguageCode, languageCodes, pick } from '../model/text.js';
import { InstrumentEditor } from './editor/InstrumentEditor.js';
import { InstrumentPreview } from './InstrumentPreview.js';
import { useCloneMutation, useDeleteDraftMutation, useInstrumentQuery, usePublishMutation, useVersionQuery } from './instruments.api.js';

const tabs = ['preview', 'framework', 'scales', 'checks', 'edit'] as const;

/** One instrument: its versions, a preview in each language, its items by framework element, its checks. */
export function InstrumentPage() {
  const { t, i18n } = useTranslation();
  const uiLang = i18n.language as LanguageCode;
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const instrument = useInstrumentQuery(id);
  const latest = instrument.data ? (instrument.data.draftVersion ?? instrument.data.publishedVersion) : null;
  const version = Number(params.get('version')) || latest;
  const detail = useVersionQuery(id, version ?? null);
  const tab = (tabs as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as (typeof tabs)[number]) : 'preview';
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };
  if (instrument.isLoading || detail.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (instrument.error || !instrument.data) {
    return (
      <>
        <PageTitle>{t('instruments.notFound')}</PageTitle>
        <ErrorAlert error={instrument.error} />
      </>
    );
  }
  const info = instrument.data;
  const v = detail.data;
  const def = v?.definition;
  return (
    <>
      <Group gap="xs" mb="xs">
        <Badge variant="light" c="dark.7" tt="none">
          {t(`instruments.kinds.${info.kind}`)}
        </Badge>
        <Badge variant="light" color="gray" c="dark.7" tt="none">
          {t(`instruments.audiences.${info.audience}`)}
        </Badge>
        <Text size="sm" c="dark.5">
          {info.ownerName ?? t('instruments.shipped')}
        </Text>
      </Group>
      <PageTitle>{def ? pick(def.title, uiLang, def.defaultLanguage) : id}</PageTitle>
      <Group align="flex-end" mb="md">
        <NativeSelect
          label={t('instruments.version')}
          value={String(version ?? '')}
          onChange={(e) => set('version', e.currentTarget.value)}
          data={info.versions.map((x) => ({ value: String(x.version), label: `${t('instruments.versionN', { n: x.version })} · ${t(`instruments.status.${x.status}`)}` }))}
        />
        {v && <VersionActions v={v} />}
      </Group>
      <ErrorAlert error={detail.error} />
      {v && def && (
        <Tabs value={tab} onChange={(x) => set('tab', x ?? 'preview')} keepMounted={false}>
          <Tabs.List mb="md">
            <Tabs.Tab value="preview">{t('instruments.tabs.preview')}</Tabs.Tab>
            <Tabs.Tab value="framework">{t('instruments.tabs.framework')}</Tabs.Tab>
            <Tabs.Tab value="scales">{t('instruments.tabs.scales')}</Tabs.Tab>
            <Tabs.Tab value="checks">{t('instruments.tabs.checks', { count: v.issues.length })}</Tabs.Tab>
            {v.canEdit && <Tabs.Tab value="edit">{t('instruments.tabs.edit')}</Tabs.Tab>}
          </Tabs.List>
          <Tabs.Panel value="preview">
            <PreviewTab def={def} />
          </Tabs.Panel>
          <Tabs.Panel value="framework">
            <FrameworkTab def={def} />
          </Tabs.Panel>
          <Tabs.Panel value="scales">
            <ScalesTab def={def} />
          </Tabs.Panel>
          <Tabs.Panel value="checks">
            <ChecksTab v={v} />
          </Tabs.Panel>
          {v.canEdit && (
            <Tabs.Panel value="edit">
              <InstrumentEditor detail={v} />
            </Tabs.Panel>
          )}
        </Tabs>
      )}
    </>
  );
}

function PreviewTab({ def }: { def: InstrumentDefinition }) {
  const { t, i18n } = useTranslation();
  const [lang, setLang] = useState<LanguageCode>(def.languages.includes(i18n.language as LanguageCode) ? (i18n.language as LanguageCode) : def.defaultLanguage);
  return (
    <Stack>
      <Group>
        <Text id="preview-lang" size="sm" fw={500}>
          {t('instruments.previewIn')}
        </Text>
        <SegmentedControl aria-labelledby="preview-lang" value={lang} onChange={(x) => setLang(x as LanguageCode)} data={languageCodes.map((l) => ({ value: l, label: t(`languageNames.${l}`), disabled: !def.languages.includes(l) }))} />
      </Group>
      <Text size="sm" c="dark.5">
        {t('instruments.previewNote')}
      </Text>
      <InstrumentPreview key={lang} def={def} lang={lang} />
    </Stack>
  );
}

function FrameworkTab({ def }: { def: InstrumentDefinition }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const frameworks = useFrameworksQuery();
  const names = elementNames(frameworks.data?.items, lang);
  const byTag = new Map<string, string[]>();
  for (const { item } of allItems(def)) for (const tag of item.tags ?? []) byTag.set(tag, [...(byTag.get(tag) ?? []), pick(item.text, lang, def.defaultLanguage)]);
  const untagged = allItems(def).filter(({ item }) => !item.tags?.length && item.type !== 'note');
  if (byTag.size === 0) return <Text>{t('instruments.noTags')}</Text>;
  return (
    <Stack>
      {(frameworks.data?.items ?? []).map((f) => {
        const elements = f.definition.elements.filter((e) => byTag.has(`${f.id}:${e.id}`));
        if (!elements.length) return null;
        return (
          <section key={f.id}>
            <Title order={2} size="h3" mb="xs">
              {pick(f.definition.name, lang)}
            </Title>
            {elements.map((e) => (
              <div key={e.id}>
                <Title order={3} size="h5" mt="sm">
                  {names.get(`${f.id}:${e.id}`)?.element} ({byTag.get(`${f.id}:${e.id}`)!.length})
                </Title>
                <List size="sm">
                  {byTag.get(`${f.id}:${e.id}`)!.map((text, i) => (
                    <List.Item key={i}>{text}</List.Item>
                  ))}
                </List>
              </div>
            ))}
          </section>
        );
      })}
      {untagged.length > 0 && <Text size="sm">{t('instruments.untagged', { count: untagged.length })}</Text>}
    </Stack>
  );
}

function ScalesTab({ def }: { def: InstrumentDefinition }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  if (def.scales.length === 0) return <Text>{t('instruments.noScales')}</Text>;
  return (
    <Table withTableBorder striped captionSide="top">
      <Table.Caption>{t('instruments.scalesCaption')}</Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('instruments.scale')}</Table.Th>
          <Table.Th>{t('instruments.method')}</Table.Th>
          <Table.Th>{t('instruments.itemsCol')}</Table.Th>
          <Table.Th>{t('instruments.bands')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {def.scales.map((s) => (
          <Table.Tr key={s.id}>
            <Table.Td>{pick(s.title, lang, def.defaultLanguage)}</Table.Td>
            <Table.Td>{t(`instruments.methods.${s.method}`)}</Table.Td>
            <Table.Td>
              {s.items.length}
              {s.reverse?.length ? ` (${t('instruments.reversed', { count: s.reverse.length })})` : ''}
            </Table.Td>
            <Table.Td>{(s.bands ?? []).map((b) => `${pick(b.label, lang, def.defaultLanguage)} ${b.min}–${b.max}`).join(' · ') || '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ChecksTab({ v }: { v: VersionDetail }) {
  const { t } = useTranslation();
  const errors = v.issues.filter((i) => i.severity === 'error');
  const warnings = v.issues.filter((i) => i.severity === 'warning');
  if (v.issues.length === 0) return <Alert color="teal">{t('instruments.checksClean')}</Alert>;
  return (
    <Stack>
      {errors.length > 0 && (
        <Alert color="red" title={t('instruments.errors', { count: errors.length })}>
          <List size="sm">
            {errors.map((e, i) => (
              <List.Item key={i}>
                <code>{e.path}</code>: {e.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {warnings.length > 0 && (
        <Alert color="yellow" title={t('instruments.warnings', { count: warnings.length })} styles={{ title: { color: 'var(--mantine-color-dark-7)' } }}>
          <List size="sm">
            {warnings.slice(0, 200).map((e, i) => (
              <List.Item key={i}>
                <code>{e.path}</code>: {e.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}

/** Copy into a draft (anyone who may manage instruments somewhere), publish or delete a draft. */
function VersionActions({ v }: { v: VersionDetail }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [copying, copyModal] = useDisclosure(false);
  const [confirming, publishModal] = useDisclosure(false);
  const publish = usePublishMutation(v.instrumentId, v.version);
  const remove = useDeleteDraftMutation(v.instrumentId, v.version);
  const errors = v.issues.filter((i) => i.severity === 'error').length;
  return (
    <Group>
      <Button variant="light" onClick={copyModal.open}>
        {t('instruments.copy')}
      </Button>
      <Button variant="subtle" component="a" href={`/api/instruments/${v.instrumentId}/versions/${v.version}/export?format=redcap&lang=${i18n.language}`} download>
        {t('instruments.exportRedcap')}
      </Button>
      <Button variant="subtle" component="a" href={`/api/instruments/${v.instrumentId}/versions/${v.version}/export?format=surveyjs`} download>
        {t('instruments.exportSurveyJs')}
      </Button>
      {v.canEdit && (
        <>
          <Button onClick={publishModal.open} disabled={errors > 0} title={errors > 0 ? t('instruments.fixFirst') : undefined}>
            {t('instruments.publish')}
          </Button>
          <Button variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate(undefined, { onSuccess: () => navigate('/instruments') })}>
            {t('instruments.deleteDraft')}
          </Button>
        </>
      )}
      <ErrorAlert error={publish.error ?? remove.error} />
      {copying && <CopyModal v={v} onClose={copyModal.close} />}
      <Modal opened={confirming} onClose={publishModal.close} title={t('instruments.publishTitle')}>
        <Text mb="md">{t('instruments.publishConfirm')}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={publishModal.close}>
            {t('common.cancel')}
          </Button>
          <Button loading={publish.isPending} onClick={() => publish.mutate(undefined, { onSuccess: publishModal.close })}>
            {t('instruments.publish')}
          </Button>
        </Group>
      </Modal>
    </Group>
  );
}

function CopyModal({ v, onClose }: { v: VersionDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { data: me } = useMeQuery();
  // The organisations where the person's own roles allow it come first; operators pick from all.
  const mine = (me?.memberships ?? []).filter((m) => m.abilities['instrument.manage']).map((m) => ({ id: m.orgId, name: m.orgName }));
  const everywhere = useOrgListQuery({ can: 'instrument.manage', limit: 200 }, mine.length === 0);
  const owners = { data: mine.length ? { items: mine, total: mine.length } : everywhere.data };
  const [ownerId, setOwnerId] = useState('');
  const [newId, setNewId] = useState(`${v.instrumentId}-copy`);
  const clone = useCloneMutation(v.instrumentId, v.version);
  const chosen = ownerId || String(owners.data?.items[0]?.id ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    clone.mutate({ ownerOrgId: Number(chosen), newId: newId.trim() || undefined }, { onSuccess: (d) => navigate(`/instruments/${d.instrumentId}?version=${d.version}&tab=edit`) });
  };
  return (
    <Modal opened onClose={onClose} title={t('instruments.copyTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          {owners.data && owners.data.total === 0 && <Alert color="blue">{t('instruments.noOwner')}</Alert>}
          <NativeSelect label={t('instruments.owner')} value={chosen} onChange={(e) => setOwnerId(e.currentTarget.value)} data={(owners.data?.items ?? []).map((o) => ({ value: String(o.id), label: o.name }))} />
          <TextInput label={t('instruments.newId')} description={t('instruments.newIdHelp')} value={newId} onChange={(e) => setNewId(e.currentTarget.value)} error={fieldError(clone.error, 'newId')} />
          <ErrorAlert error={clone.error && !fieldError(clone.error, 'newId') ? clone.error : null} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={clone.isPending} disabled={!chosen}>
              {t('instruments.copySubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
