import { Alert, Badge, Button, Checkbox, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMeQuery } from '../../../client/auth.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { PageTitle } from '../../../client/components/PageTitle.js';
import { type LanguageCode, pick } from '../../instruments/model/text.js';
import type { FrameworkSummary } from '../frameworks.contract.js';
import { FrameworkEditor } from './FrameworkEditor.js';
import { useChooseFrameworksMutation, useFrameworksQuery, useNetworkFrameworksQuery } from './frameworks.api.js';

/** The frameworks that organise instruments, plans and resources; network admins choose theirs. */
export function FrameworksPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language as LanguageCode;
  const { data: me } = useMeQuery();
  const all = useFrameworksQuery();
  const firstOrg = me?.memberships[0]?.orgId ?? null;
  const network = useNetworkFrameworksQuery(firstOrg);
  const used = new Set(network.data?.frameworks.map((f) => f.id));
  const [editing, setEditing] = useState<FrameworkSummary | null | 'new'>(null);
  return (
    <>
      <PageTitle>{t('frameworks.title')}</PageTitle>
      <Text mb="lg" maw={760}>
        {t('frameworks.intro')}
      </Text>
      <ErrorAlert error={all.error ?? network.error} />
      {network.data?.canChoose && (
        <Button variant="light" mb="md" onClick={() => setEditing('new')}>
          {t('frameworks.create', { network: network.data.networkName })}
        </Button>
      )}
      {editing && <FrameworkEditor framework={editing === 'new' ? null : editing} ownerOrgId={network.data?.networkId} onClose={() => setEditing(null)} />}
      {network.data?.canChoose && all.data && <ChooseFrameworks orgId={network.data.networkId} all={all.data.items.map((f) => ({ id: f.id, name: pick(f.definition.name, lang) }))} chosen={[...used]} />}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        {all.data?.items.map((f) => (
          <Paper key={f.id} withBorder p="lg" component="section" aria-labelledby={`fw-${f.id}`}>
            <Group justify="space-between" mb="xs">
              <Title order={2} size="h3" id={`fw-${f.id}`}>
                {pick(f.definition.name, lang)}
              </Title>
              <Group gap="xs">
                {network.data && used.has(f.id) && (
                  <Badge variant="light" c="dark.7" tt="none">
                    {t('frameworks.used', { network: network.data.networkName })}
                  </Badge>
                )}
                {f.canEdit && (
                  <Button size="xs" variant="subtle" onClick={() => setEditing(f)} aria-label={t('frameworks.editNamed', { name: pick(f.definition.name, lang) })}>
                    {t('frameworks.edit')}
                  </Button>
                )}
              </Group>
            </Group>
            <Text size="sm" mb="sm">
              {pick(f.definition.description, lang)}
            </Text>
            <List spacing="xs">
              {f.definition.elements.map((e) => (
                <List.Item key={e.id}>
                  <Text fw={600} span>
                    {pick(e.name, lang)}
                  </Text>
                  {e.outcome ? ` (${pick(e.outcome, lang)})` : ''} — <Text span size="sm">{pick(e.description, lang)}</Text>
                </List.Item>
              ))}
            </List>
          </Paper>
        ))}
      </SimpleGrid>
    </>
  );
}

function ChooseFrameworks({ orgId, all, chosen }: { orgId: number; all: { id: string; name: string }[]; chosen: string[] }) {
  const { t } = useTranslation();
  const [value, setValue] = useState(chosen);
  useEffect(() => setValue(chosen), [chosen.join(',')]); // eslint-disable-line react-hooks/exhaustive-deps
  const save = useChooseFrameworksMutation(orgId);
  return (
    <Paper withBorder p="lg" mb="lg">
      <Stack>
        <Checkbox.Group label={t('frameworks.choose')} description={t('frameworks.chooseHelp')} value={value} onChange={setValue}>
          <Group mt="xs">
            {all.map((f) => (
              <Checkbox key={f.id} value={f.id} label={f.name} />
            ))}
          </Group>
        </Checkbox.Group>
        <ErrorAlert error={save.error} />
        {save.isSuccess && (
          <Alert color="teal" role="status">
            {t('common.saved')}
          </Alert>
        )}
        <Group>
          <Button onClick={() => save.mutate(all.map((f) => f.id).filter((id) => value.includes(id)))} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
