import { Anchor, AppShell, Burger, Button, Group, NativeSelect, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink, Outlet, useNavigate } from 'react-router';
import { hasAnyAbility, useChangeLanguage, useMeQuery, useSignOut } from '../auth.js';
import { type Language, languages } from '../i18n.js';

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  const change = useChangeLanguage();
  return (
    <NativeSelect
      aria-label={t('nav.language')}
      value={i18n.language}
      onChange={(e) => change(e.currentTarget.value as Language)}
      data={languages.map((l) => ({ value: l.code, label: l.label }))}
      size="xs"
    />
  );
}

/** The frame around every signed-in page: skip link, header navigation, main landmark. */
export function Layout() {
  const { t } = useTranslation();
  const { data: me } = useMeQuery();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const [opened, { toggle, close }] = useDisclosure();
  const links = [
    { to: '/orgs', label: t('nav.organizations'), show: true },
    { to: '/instruments', label: t('nav.instruments'), show: true },
    { to: '/frameworks', label: t('nav.frameworks'), show: true },
    { to: '/resources', label: t('nav.resources'), show: true },
    { to: '/my-actions', label: t('nav.myActions'), show: true },
    { to: '/import', label: t('nav.import'), show: hasAnyAbility(me, 'org.import') },
    { to: '/audit', label: t('nav.audit'), show: hasAnyAbility(me, 'audit.read') },
    { to: '/account', label: t('nav.account'), show: true },
  ].filter((l) => l.show);
  const nav = links.map((l) => (
    <Anchor key={l.to} component={RouterLink} to={l.to} onClick={close} fw={500} c="dark.7">
      {l.label}
    </Anchor>
  ));
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Anchor component={RouterLink} to="/orgs" fw={700} size="lg" c="brand.9" underline="never">
              Schoolwell
            </Anchor>
            <nav aria-label={t('nav.main')}>
              <Group visibleFrom="sm" gap="lg">
                {nav}
              </Group>
            </nav>
          </Group>
          <Group wrap="nowrap" gap="sm" visibleFrom="sm">
            <LanguagePicker />
            {me && (
              <Text size="sm" visibleFrom="md" c="dark.6">
                <VisuallyHidden>{t('nav.signedInAs')} </VisuallyHidden>
                {me.user.name || me.user.email}
              </Text>
            )}
            <SignOutButton onDone={() => navigate('/login')} signOut={signOut} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="md" hiddenFrom="sm">
        {/* Rendered only while open, so the page never carries two copies of these controls. */}
        {opened && (
        <Stack>
          <nav aria-label={t('nav.mobile')}>
            <Stack gap="md">{nav}</Stack>
          </nav>
          <LanguagePicker />
          <SignOutButton onDone={() => navigate('/login')} signOut={signOut} />
        </Stack>
        )}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

function SignOutButton({ signOut, onDone }: { signOut: () => Promise<void>; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Button
      variant="default"
      size="xs"
      onClick={async () => {
        await signOut();
        onDone();
      }}
    >
      {t('nav.signOut')}
    </Button>
  );
}

/** The frame of the signed-out pages (sign-in, reset, invitation). */
export function PublicLayout() {
  return (
    <div className="public-page">
      <header className="public-header">
        <Text fw={700} size="lg" c="brand.9">
          Schoolwell
        </Text>
        <LanguagePicker />
      </header>
      <main id="main">
        <Outlet />
      </main>
    </div>
  );
}
