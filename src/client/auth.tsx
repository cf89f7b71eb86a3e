import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../features/auth/auth.contract.js';
import { api, ApiError, setCsrfToken } from './api.js';
import { type Language, currentLanguage, setLanguage } from './i18n.js';

export const meKey = ['me'] as const;

/** The signed-in user, or null when nobody is signed in. */
export function useMeQuery() {
  return useQuery({
    queryKey: meKey,
    queryFn: async () => {
      try {
        const me = await api<Me>('GET', '/api/me');
        setCsrfToken(me.csrfToken);
        return me;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

/** Call after sign-in or invitation acceptance: stores the session and follows the user's language. */
export function useSignedIn() {
  const client = useQueryClient();
  return (me: Me) => {
    setCsrfToken(me.csrfToken);
    client.setQueryData(meKey, me);
    // The language chosen on this device wins; the account remembers it for other devices.
    const lang = currentLanguage();
    if (me.user.locale !== lang) void api('PATCH', '/api/me', { locale: lang }).catch(() => {});
  };
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await api('POST', '/api/auth/logout').catch(() => {});
    setCsrfToken(null);
    client.clear();
    client.setQueryData(meKey, null);
  };
}

/** Changes language now, and on the account when signed in. */
export function useChangeLanguage() {
  const client = useQueryClient();
  return (lang: Language) => {
    setLanguage(lang);
    const me = client.getQueryData<Me | null>(meKey);
    if (me) void api<Me>('PATCH', '/api/me', { locale: lang }).then((m) => client.setQueryData(meKey, m)).catch(() => {});
  };
}

/** True when the signed-in user holds a permission at any organisation (or is an operator). */
export function hasAnyAbility(me: Me | null | undefined, ability: keyof Me['memberships'][number]['abilities']): boolean {
  if (!me) return false;
  return me.user.isOperator || me.memberships.some((m) => m.abilities[ability]);
}
