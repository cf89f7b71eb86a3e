import { Button, Group, Modal, NumberInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Section, SubmitRow, SuccessNote } from '../../../client/components/FormParts.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { useOrgKindLabel } from '../../../client/components/OrgKindBadge.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import { allowedParents, type OrgKind } from '../../../shared/organizations.js';
import type { OrgDetail } from '../organizations.contract.js';
import { useArchiveOrgMutation, useMoveOrgMutation, useOrgListQuery, useUpdateOrgMutation } from './organizations.api.js';

/** Edit facts, move under another parent, archive or restore: each shown only to those allowed. */
export function OrgSettingsPanel({ org }: { org: OrgDetail }) {
  return (
    <Stack gap="lg">
      {org.can['org.update'] && <EditForm org={org} />}
      {org.can['org.update'] && org.kind !== 'partner' && <PrivacyForm org={org} />}
      {org.can['org.move'] && org.parentId !== null && org.status === 'active' && <MoveForm org={org} />}
      {org.can['org.archive'] && <ArchiveSection org={org} />}
    </Stack>
  );
}

function EditForm({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const [name, setName] = useState(org.name);
  const [code, setCode] = useState(org.code);
  const [gradeSpan, setGradeSpan] = useState(org.gradeSpan ?? '');
  const [enrolment, setEnrolment] = useState<number | ''>(org.enrolment ?? '');
  const update = useUpdateOrgMutation(org.id);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ name, code, ...(org.kind === 'school' ? { gradeSpan: gradeSpan || null, enrolment: enrolment === '' ? null : enrolment } : {}) });
  };
  return (
    <Section title={t('orgs.settings.edit')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={update.error && !isFieldError(update.error, ['name', 'code', 'gradeSpan', 'enrolment']) ? update.error : null} />
          <TextInput label={t('fields.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(update.error, 'name')} />
          <TextInput label={t('fields.code')} required value={code} onChange={(e) => setCode(e.currentTarget.value)} error={fieldError(update.error, 'code')} />
          {org.kind === 'school' && (
            <Group grow>
              <TextInput label={t('fields.gradeSpan')} value={gradeSpan} onChange={(e) => setGradeSpan(e.currentTarget.value)} error={fieldError(update.error, 'gradeSpan')} />
              <NumberInput label={t('fields.enrolment')} min={0} value={enrolment} onChange={(v) => setEnrolment(typeof v === 'number' ? v : '')} error={fieldError(update.error, 'enrolment')} />
            </Group>
          )}
          <SuccessNote show={update.isSuccess}>{t('common.saved')}</SuccessNote>
          <SubmitRow loading={update.isPending}>{t('common.save')}</SubmitRow>
        </Stack>
      </form>
    </Section>
  );
}

/** The smallest group of survey respondents any figure may describe here and below. */
function PrivacyForm({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const [k, setK] = useState<number | ''>(org.privacy.minCellSize ?? '');
  const update = useUpdateOrgMutation(org.id);
  const top = org.parentId === null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ minCellSize: k === '' ? null : k });
  };
  return (
    <Section title={t('orgs.settings.privacy')}>
      <Text size="sm" mb="sm">
        {top ? t('orgs.settings.privacyHelpTop', { k: org.privacy.fromAbove }) : t('orgs.settings.privacyHelp', { k: org.privacy.fromAbove })}
      </Text>
      <form onSubmit={submit} noValidate>
        <Stack>
          <NumberInput
            label={t('orgs.settings.privacyK')}
            description={t('orgs.settings.privacyKHint')}
            min={top ? 5 : org.privacy.fromAbove}
            max={30}
            value={k}
            placeholder={String(org.privacy.fromAbove)}
            onChange={(v) => setK(typeof v === 'number' ? v : '')}
            error={fieldError(update.error, 'minCellSize')}
          />
          <ErrorAlert error={update.error && !isFieldError(update.error, ['minCellSize']) ? update.error : null} />
          <SuccessNote show={update.isSuccess}>{t('common.saved')}</SuccessNote>
          <SubmitRow loading={update.isPending}>{t('common.save')}</SubmitRow>
        </Stack>
      </form>
    </Section>
  );
}

function MoveForm({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const kindLabel = useOrgKindLabel();
  const [q, setQ] = useState('');
  const [target, setTarget] = useState<string>('');
  const [debouncedQ] = useDebouncedValue(q, 250);
  const parentKinds = allowedParents[org.kind].filter((k): k is OrgKind => k !== null);
  const results = useOrgListQuery({ q: debouncedQ.trim(), limit: 20 }, debouncedQ.trim().length >= 2);
  const candidates = (results.data?.items ?? []).filter((o) => parentKinds.includes(o.kind) && o.id !== org.parentId && o.id !== org.id);
  const move = useMoveOrgMutation(org.id);
  return (
    <Section title={t('orgs.settings.move')}>
      <Text size="sm" mb="sm">
        {t('orgs.settings.moveHelp', { kinds: parentKinds.map((k) => kindLabel(k, org.country)).join(', ') })}
      </Text>
      <Stack>
        <TextInput label={t('orgs.settings.moveSearch')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        {candidates.length > 0 && (
          <Radio.Group label={t('orgs.settings.moveTo')} value={target} onChange={setTarget}>
            <Stack gap="xs" mt="xs">
              {candidates.map((c) => (
                <Radio key={c.id} value={String(c.id)} label={`${c.name} (${kindLabel(c.kind, c.country)}, ${c.code})`} />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {debouncedQ.trim().length >= 2 && results.data && candidates.length === 0 && <Text size="sm">{t('orgs.noResults')}</Text>}
        <ErrorAlert error={move.error} />
        <SuccessNote show={move.isSuccess}>{t('orgs.settings.moved')}</SuccessNote>
        <Group>
          <Button disabled={!target} loading={move.isPending} onClick={() => move.mutate(Number(target))}>
            {t('orgs.settings.moveSubmit')}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}

function ArchiveSection({ org }: { org: OrgDetail }) {
  const { t } = useTranslation();
  const [confirming, { open, close }] = useDisclosure(false);
  const archive = useArchiveOrgMutation(org.id);
  const archived = org.status === 'archived';
  return (
    <Section title={archived ? t('orgs.settings.restore') : t('orgs.settings.archive')}>
      <Text size="sm" mb="sm">
        {archived ? t('orgs.settings.restoreHelp') : t('orgs.settings.archiveHelp')}
      </Text>
      <ErrorAlert error={archive.error} />
      <Button color={archived ? 'brand' : 'red'} variant={archived ? 'filled' : 'outline'} onClick={archived ? () => archive.mutate(false) : open} loading={archive.isPending}>
        {archived ? t('orgs.settings.restoreSubmit') : t('orgs.settings.archiveSubmit')}
      </Button>
      <Modal opened={confirming} onClose={close} title={t('orgs.settings.archiveConfirmTitle', { name: org.name })}>
        <Text mb="md">{t('orgs.settings.archiveConfirm', { count: org.childCount })}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            onClick={() => {
              close();
              archive.mutate(true);
            }}
          >
            {t('orgs.settings.archiveSubmit')}
          </Button>
        </Group>
      </Modal>
    </Section>
  );
}
