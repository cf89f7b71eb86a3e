import { Checkbox, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgDetail } from '../../../organizations/organizations.contract.js';
import { useOrgListQuery } from '../../../organizations/ui/organizations.api.js';

export interface SchoolChoice {
  scope: 'all' | 'chosen';
  chosen: Map<number, string>;
}

/**
 * Which schools take part, for an organisation above a school: every active school, or a list
 * chosen from its schools (found with the same search the organisation browser uses: the schools
 * just below it, or any school below it whose name or code matches).
 */
export function SchoolPicker({ org, value, onChange, error }: { org: OrgDetail; value: SchoolChoice; onChange: (v: SchoolChoice) => void; error?: string }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const found = useOrgListQuery({ parentId: org.id, kind: 'school', q: debounced || undefined, limit: 50 }, value.scope === 'chosen');
  const toggle = (id: number, label: string, on: boolean) => {
    const chosen = new Map(value.chosen);
    if (on) chosen.set(id, label);
    else chosen.delete(id);
    onChange({ ...value, chosen });
  };
  // One list that never reorders as boxes are ticked: chosen schools the search no longer shows
  // first, then the search results in their order.
  const results = (found.data?.items ?? []).map((s) => ({ id: s.id, label: `${s.name} (${s.code})` }));
  const shown = new Set(results.map((r) => r.id));
  const rows = [...[...value.chosen].filter(([id]) => !shown.has(id)).map(([id, label]) => ({ id, label })), ...results];
  return (
    <Stack gap="xs">
      <Radio.Group label={t('surveys.setup.schools')} value={value.scope} onChange={(v) => onChange({ ...value, scope: v as SchoolChoice['scope'] })} error={value.scope === 'all' ? error : undefined}>
        <Stack gap="xs" mt="xs">
          <Radio value="all" label={t('surveys.setup.allSchools', { name: org.name })} />
          <Radio value="chosen" label={t('surveys.setup.someSchools')} />
        </Stack>
      </Radio.Group>
      {value.scope === 'chosen' && (
        <Stack gap="xs" pl="lg">
          <TextInput label={t('surveys.setup.findSchool')} type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={420} />
          <Checkbox.Group
            label={t('surveys.setup.pick')}
            description={t('surveys.setup.chosenCount', { count: value.chosen.size, n: value.chosen.size })}
            value={[...value.chosen.keys()].map(String)}
            error={error}
          >
            <Stack gap="xs" mt="xs">
              {rows.map((r) => (
                <Checkbox key={r.id} value={String(r.id)} label={r.label} onChange={(e) => toggle(r.id, r.label, e.currentTarget.checked)} />
              ))}
            </Stack>
          </Checkbox.Group>
          {found.data && rows.length === 0 && (
            <Text size="sm">{debounced ? t('orgs.noResults') : t('surveys.setup.typeToFind')}</Text>
          )}
        </Stack>
      )}
    </Stack>
  );
}
