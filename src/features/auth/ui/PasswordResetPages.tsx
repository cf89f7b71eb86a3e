import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { fieldError, isFieldError } from '../../../client/forms.js';
import { AuthCard } from './AuthCard.js';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const forgot = useMutation({ mutationFn: () => api('POST', '/api/auth/forgot', { email }) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    forgot.mutate();
  };
  return (
    <AuthCard title={t('forgot.title')}>
      {forgot.isSuccess ? (
        <Stack>
          <Alert color="teal" role="status">
            {t('forgot.sent', { email })}
          </Alert>
          <Anchor component={Link} to="/login">
            {t('common.backToSignIn')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <Text size="sm">{t('forgot.intro')}</Text>
            <ErrorAlert error={forgot.error && !isFieldError(forgot.error, ['email']) ? forgot.error : null} />
            <TextInput label={t('fields.email')} type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(forgot.error, 'email')} />
            <Button type="submit" loading={forgot.isPending}>
              {t('forgot.submit')}
            </Button>
            <Anchor component={Link} to="/login" size="sm">
              {t('common.backToSignIn')}
            </Anchor>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}

/** A new password typed twice; the mismatch is caught before anything is sent. */
export function NewPasswordFields({ value, onChange, error }: { value: { password: string; confirm: string }; onChange: (v: { password: string; confirm: string }) => void; error?: string }) {
  const { t } = useTranslation();
  const mismatch = value.confirm.length > 0 && value.confirm !== value.password;
  return (
    <>
      <PasswordInput label={t('fields.newPassword')} description={t('fields.passwordRule')} autoComplete="new-password" required value={value.password} onChange={(e) => onChange({ ...value, password: e.currentTarget.value })} error={error} />
      <PasswordInput label={t('fields.confirmPassword')} autoComplete="new-password" required value={value.confirm} onChange={(e) => onChange({ ...value, confirm: e.currentTarget.value })} error={mismatch ? t('fields.passwordMismatch') : undefined} />
    </>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const [pw, setPw] = useState({ password: '', confirm: '' });
  const reset = useMutation({ mutationFn: () => api('POST', '/api/auth/reset', { token, password: pw.password }) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pw.password === pw.confirm) reset.mutate();
  };
  return (
    <AuthCard title={t('reset.title')}>
      {reset.isSuccess ? (
        <Stack>
          <Alert color="teal" role="status">
            {t('reset.done')}
          </Alert>
          <Anchor component={Link} to="/login">
            {t('common.backToSignIn')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            <ErrorAlert error={reset.error && !isFieldError(reset.error, ['password']) ? reset.error : null} />
            <NewPasswordFields value={pw} onChange={setPw} error={fieldError(reset.error, 'password')} />
            <Button type="submit" loading={reset.isPending}>
              {t('reset.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
