import { PasswordInput, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../../client/api.js';
import { meKey, useMeQuery } from '../../../client/auth.js';
import { Section, SubmitRow, SuccessNote } from '../../../client/components/FormParts.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { useOrgKindLabel } from '../../../client/components/OrgKindBadge.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import type { Me } from '../auth.contract.js';
import { NewPasswordFields } from './PasswordResetPages.js';

export function AccountPage() {
  const { t } = useTranslation();
  const { data: me } = useMeQuery();
  const client = useQueryClient();
  const kindLabel = useOrgKindLabel();
  const [name, setName] = useState(me?.user.name ?? '');
  const [current, setCurrent] = useState('');
  const [pw, setPw] = useState({ password: '', confirm: '' });
  const saveName = useMutation({ mutationFn: () => api<Me>('PATCH', '/api/me', { name }), onSuccess: (m) => client.setQueryData(meKey, m) });
  const changePw = useMutation({
    mutationFn: () => api('POST', '/api/auth/password', { currentPassword: current, newPassword: pw.password }),
    onSuccess: () => {
      setCurrent('');
      setPw({ password: '', confirm: '' });
    },
  });
  if (!me) return null;
  return (
    <>
      <PageTitle>{t('account.title')}</PageTitle>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Section title={t('account.profile')}>
          <form
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              saveName.mutate();
            }}
          >
            <Stack>
              <Text size="sm">
                {t('fields.email')}: <strong>{me.user.email}</strong>
              </Text>
              <TextInput label={t('fields.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(saveName.error, 'name')} />
              <SuccessNote show={saveName.isSuccess}>{t('common.saved')}</SuccessNote>
              <SubmitRow loading={saveName.isPending}>{t('common.save')}</SubmitRow>
            </Stack>
          </form>
        </Section>
        <Section title={t('account.changePassword')}>
          <form
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              if (pw.password === pw.confirm) changePw.mutate();
            }}
            noValidate
          >
            <Stack>
              <ErrorAlert error={changePw.error && !isFieldError(changePw.error, ['currentPassword', 'newPassword']) ? changePw.error : null} />
              <PasswordInput label={t('fields.currentPassword')} autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)} error={fieldError(changePw.error, 'currentPassword')} />
              <NewPasswordFields value={pw} onChange={setPw} error={fieldError(changePw.error, 'newPassword')} />
              <SuccessNote show={changePw.isSuccess}>{t('account.passwordChanged')}</SuccessNote>
              <SubmitRow loading={changePw.isPending}>{t('account.changePassword')}</SubmitRow>
            </Stack>
          </form>
        </Section>
      </SimpleGrid>
      <Title order={2} size="h3" mt="xl" mb="sm">
        {t('account.roles')}
      </Title>
      {me.user.isOperator && <Text mb="sm">{t('account.operator')}</Text>}
      {me.memberships.length === 0 && !me.user.isOperator ? (
        <Text>{t('account.noRoles')}</Text>
      ) : (
        <Table captionSide="top" striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.organization')}</Table.Th>
              <Table.Th>{t('fields.kind')}</Table.Th>
              <Table.Th>{t('fields.role')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {me.memberships.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>
                  <Link to={`/orgs/${m.orgId}`}>{m.orgName}</Link>
                </Table.Td>
                <Table.Td>{kindLabel(m.orgKind, m.orgCountry)}</Table.Td>
                <Table.Td>{t(`roles.${m.role}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
