import { Alert, Anchor, Button, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../../client/api.js';
import { useSignedIn } from '../../../client/auth.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { useOrgKindLabel } from '../../../client/components/OrgKindBadge.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import type { Me } from '../../auth/auth.contract.js';
import { AuthCard } from '../../auth/ui/AuthCard.js';
import { NewPasswordFields } from '../../auth/ui/PasswordResetPages.js';
import type { z } from 'zod';
import type { invitationPreview } from '../members.contract.js';

/** Where an invitation link lands: newcomers choose a name and password, others confirm theirs. */
export function InvitationPage() {
  const { t } = useTranslation();
  const kindLabel = useOrgKindLabel();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const signedIn = useSignedIn();
  const preview = useQuery({ queryKey: ['invitation', token], queryFn: () => api<z.infer<typeof invitationPreview>>('GET', `/api/public/invitations/${token}`), retry: false });
  const [name, setName] = useState('');
  const [pw, setPw] = useState({ password: '', confirm: '' });
  const [existingPw, setExistingPw] = useState('');
  const accept = useMutation({
    mutationFn: () => api<Me>('POST', '/api/public/invitations/accept', { token, ...(preview.data?.hasAccount ? { password: existingPw } : { name, password: pw.password }) }),
    onSuccess: (me) => {
      signedIn(me);
      navigate('/orgs', { replace: true });
    },
  });
  if (preview.isLoading) return <Loader role="status" aria-label={t('common.loading')} />;
  if (preview.error || !preview.data) {
    return (
      <AuthCard title={t('invite.title')}>
        <Stack>
          <ErrorAlert error={preview.error} />
          <Anchor component={Link} to="/login">
            {t('common.backToSignIn')}
          </Anchor>
        </Stack>
      </AuthCard>
    );
  }
  const inv = preview.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (inv.hasAccount || pw.password === pw.confirm) accept.mutate();
  };
  return (
    <AuthCard title={t('invite.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Alert color="teal">{t('invite.offer', { org: inv.orgName, kind: kindLabel(inv.orgKind, null), role: t(`roles.${inv.role}`) })}</Alert>
          <Text size="sm">
            {t('fields.email')}: <strong>{inv.email}</strong>
          </Text>
          <ErrorAlert error={accept.error && !isFieldError(accept.error, ['name', 'password']) ? accept.error : null} />
          {inv.hasAccount ? (
            <PasswordInput label={t('invite.existingPassword')} autoComplete="current-password" required value={existingPw} onChange={(e) => setExistingPw(e.currentTarget.value)} error={fieldError(accept.error, 'password')} />
          ) : (
            <>
              <TextInput label={t('fields.name')} autoComplete="name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(accept.error, 'name')} />
              <NewPasswordFields value={pw} onChange={setPw} error={fieldError(accept.error, 'password')} />
            </>
          )}
          <Button type="submit" loading={accept.isPending}>
            {t('invite.accept')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
