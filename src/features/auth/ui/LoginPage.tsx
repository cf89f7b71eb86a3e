import { Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../../client/api.js';
import { useMeQuery, useSignedIn } from '../../../client/auth.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { fieldError } from '../../../client/forms.js';
import type { Me } from '../auth.contract.js';
import { AuthCard } from './AuthCard.js';

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/orgs';
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signedIn = useSignedIn();
  const { data: me } = useMeQuery();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => api<Me>('POST', '/api/auth/login', { email, password }),
    onSuccess: (result) => {
      signedIn(result);
      navigate(safeNext(params.get('next')), { replace: true });
    },
  });
  if (me && !login.isPending) return <Navigate to={safeNext(params.get('next'))} replace />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <AuthCard title={t('login.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={login.error && !fieldError(login.error, 'email') ? login.error : null} />
          <TextInput label={t('fields.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(login.error, 'email')} />
          <PasswordInput label={t('fields.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={fieldError(login.error, 'password')} />
          <Button type="submit" loading={login.isPending} fullWidth>
            {t('login.submit')}
          </Button>
          <Anchor component={Link} to="/forgot" size="sm" ta="center">
            {t('login.forgot')}
          </Anchor>
        </Stack>
      </form>
    </AuthCard>
  );
}
