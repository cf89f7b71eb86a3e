import { Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMeQuery } from '../../../client/auth.js';
import { Section, SubmitRow, SuccessNote } from '../../../client/components/FormParts.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import { type Role, roles } from '../../../shared/permissions.js';
import { useChangeRoleMutation, useInviteMutation, useMembersQuery, useRemoveMemberMutation, useRevokeInvitationMutation } from './members.api.js';

/** Members of one organisation with their roles, open invitations, and the invite form. */
export function MembersPanel({ orgId }: { orgId: number }) {
  const { t } = useTranslation();
  const { data: me } = useMeQuery();
  const { data, error, isLoading } = useMembersQuery(orgId);
  const changeRole = useChangeRoleMutation(orgId);
  const remove = useRemoveMemberMutation(orgId);
  const revoke = useRevokeInvitationMutation(orgId);
  if (isLoading) return null;
  if (error || !data) return <ErrorAlert error={error} />;
  // Only admins hold member.manage, and only they are offered every role.
  const canManage = data.invitableRoles.length === roles.length;
  return (
    <Stack gap="lg">
      <ErrorAlert error={changeRole.error ?? remove.error ?? revoke.error} />
      {data.members.length === 0 ? (
        <Text>{data.invitableRoles.length ? t('members.noneCanInvite') : t('members.none')}</Text>
      ) : (
        <Table captionSide="top" withTableBorder striped>
          <Table.Caption>{t('members.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.name')}</Table.Th>
              <Table.Th>{t('fields.email')}</Table.Th>
              <Table.Th>{t('fields.role')}</Table.Th>
              {canManage && <Table.Th>{t('common.actions')}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.members.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{m.name || '—'}</Table.Td>
                <Table.Td>{m.email}</Table.Td>
                <Table.Td>
                  {canManage ? (
                    <NativeSelect
                      aria-label={t('members.roleOf', { name: m.name || m.email })}
                      value={m.role}
                      onChange={(e) => changeRole.mutate({ id: m.id, role: e.currentTarget.value as Role })}
                      data={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                      size="xs"
                    />
                  ) : (
                    t(`roles.${m.role}`)
                  )}
                </Table.Td>
                {canManage && (
                  <Table.Td>
                    {m.userId !== me?.user.id && (
                      <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(m.id)} aria-label={t('members.removeNamed', { name: m.name || m.email })}>
                        {t('members.remove')}
                      </Button>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {data.invitations.length > 0 && (
        <Table captionSide="top" withTableBorder>
          <Table.Caption>{t('members.openInvitations')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('fields.email')}</Table.Th>
              <Table.Th>{t('fields.role')}</Table.Th>
              <Table.Th>{t('members.expires')}</Table.Th>
              <Table.Th>{t('common.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.invitations.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>{i.email}</Table.Td>
                <Table.Td>{t(`roles.${i.role}`)}</Table.Td>
                <Table.Td>{new Date(i.expiresAt).toLocaleDateString()}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" color="red" onClick={() => revoke.mutate(i.id)} aria-label={t('members.withdrawNamed', { email: i.email })}>
                    {t('members.withdraw')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {data.invitableRoles.length > 0 && <InviteForm orgId={orgId} roles={data.invitableRoles} />}
    </Stack>
  );
}

function InviteForm({ orgId, roles: offered }: { orgId: number; roles: Role[] }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>(offered.includes('member') ? 'member' : offered[0]);
  const invite = useInviteMutation(orgId);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate(
      { email, role },
      {
        onSuccess: () => {
          setSentTo(email);
          setEmail('');
        },
      },
    );
  };
  return (
    <Section title={t('members.inviteTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={invite.error && !isFieldError(invite.error, ['email', 'role']) ? invite.error : null} />
          <Group align="flex-start" grow>
            <TextInput label={t('fields.email')} type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(invite.error, 'email')} />
            <NativeSelect label={t('fields.role')} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} data={offered.map((r) => ({ value: r, label: t(`roles.${r}`) }))} error={fieldError(invite.error, 'role')} />
          </Group>
          <Text size="sm" c="dark.5">
            {t(`roleHelp.${role}`)}
          </Text>
          <SuccessNote show={!!sentTo && invite.isSuccess}>{t('members.invited', { email: sentTo })}</SuccessNote>
          <SubmitRow loading={invite.isPending}>{t('members.inviteSubmit')}</SubmitRow>
        </Stack>
      </form>
    </Section>
  );
}
