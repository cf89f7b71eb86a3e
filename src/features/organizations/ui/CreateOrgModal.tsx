import { Button, Group, Modal, NativeSelect, NumberInput, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { useOrgKindLabel } from '../../../client/components/OrgKindBadge.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import { allowedParents, countries, type OrgKind, orgKinds } from '../../../shared/organizations.js';
import { useCreateOrgMutation } from './organizations.api.js';

/** Kinds that may sit directly under a parent of this kind (null = top of the tree). */
export function childKinds(parentKind: OrgKind | null): OrgKind[] {
  return orgKinds.filter((k) => allowedParents[k].includes(parentKind));
}

export function CreateOrgModal({ parent, opened, onClose }: { parent: { id: number; kind: OrgKind; country: string | null } | null; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const kindLabel = useOrgKindLabel();
  const navigate = useNavigate();
  const kinds = childKinds(parent?.kind ?? null);
  const [kind, setKind] = useState<OrgKind>(kinds.includes('school') ? 'school' : kinds[0]);
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [gradeSpan, setGradeSpan] = useState('');
  const [enrolment, setEnrolment] = useState<number | ''>('');
  const [country, setCountry] = useState<string>(parent?.country ?? 'US');
  const create = useCreateOrgMutation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        parentId: parent?.id ?? null,
        kind,
        name,
        code,
        ...(kind === 'school' ? { gradeSpan: gradeSpan || null, enrolment: enrolment === '' ? null : enrolment } : {}),
        ...(kind === 'state' || kind === 'network' ? { country: kind === 'state' ? country : undefined } : {}),
      },
      {
        onSuccess: (org) => {
          onClose();
          navigate(`/orgs/${org.id}`);
        },
      },
    );
  };
  const shown = ['kind', 'name', 'code', 'gradeSpan', 'enrolment', 'country'];
  return (
    <Modal opened={opened} onClose={onClose} title={t('orgs.create.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={create.error && !isFieldError(create.error, shown) ? create.error : null} />
          <NativeSelect label={t('fields.kind')} value={kind} onChange={(e) => setKind(e.currentTarget.value as OrgKind)} data={kinds.map((k) => ({ value: k, label: kindLabel(k, parent?.country ?? country) }))} error={fieldError(create.error, 'kind')} />
          <TextInput label={t('fields.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, 'name')} data-autofocus />
          <TextInput label={t('fields.code')} description={t('orgs.create.codeHelp')} required value={code} onChange={(e) => setCode(e.currentTarget.value)} error={fieldError(create.error, 'code')} />
          {kind === 'school' && (
            <Group grow>
              <TextInput label={t('fields.gradeSpan')} placeholder="K-5" value={gradeSpan} onChange={(e) => setGradeSpan(e.currentTarget.value)} error={fieldError(create.error, 'gradeSpan')} />
              <NumberInput label={t('fields.enrolment')} min={0} value={enrolment} onChange={(v) => setEnrolment(typeof v === 'number' ? v : '')} error={fieldError(create.error, 'enrolment')} />
            </Group>
          )}
          {kind === 'state' && (
            <NativeSelect label={t('fields.country')} value={country} onChange={(e) => setCountry(e.currentTarget.value)} data={countries.map((c) => ({ value: c, label: t(`countries.${c}`) }))} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('orgs.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
