import { Button, Checkbox, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { languageCodes } from '../../../instruments/model/text.js';
import type { SearchResult } from '../../resources.contract.js';
import { resourceAudiences, resourceGradeBands, resourceTypes } from '../../resources.model.js';
import type { FacetKey, Filters } from '../resources.api.js';
import type { ResourceLabels } from './labels.js';

type Counts = Record<FacetKey, SearchResult['facets'][FacetKey]>;
const orderOf: Record<Exclude<FacetKey, 'element'>, readonly string[]> = { type: resourceTypes, audience: resourceAudiences, grade: resourceGradeBands, language: languageCodes };

/**
 * Checkbox groups for every tag of the library, each value with how many resources it would
 * show. Values with nothing to show are left out unless chosen; elements are grouped by framework.
 */
export function FacetFilters({ filters, counts, labels, onToggle, onClear }: { filters: Filters; counts: Counts; labels: ResourceLabels; onToggle: (key: FacetKey, value: string) => void; onClear: () => void }) {
  const { t } = useTranslation();
  // A group reports its new set of values; the page applies the one that changed to the address as it is now.
  const changed = (key: FacetKey, before: string[], after: string[]) => {
    const value = after.find((v) => !before.includes(v)) ?? before.find((v) => !after.includes(v));
    if (value) onToggle(key, value);
  };
  const countOf = (key: FacetKey) => new Map(counts[key].map((f) => [f.value, f.count]));
  const shown = (key: FacetKey, values: readonly string[]) => {
    const n = countOf(key);
    return values.filter((v) => (n.get(v) ?? 0) > 0 || filters[key].includes(v)).map((v) => ({ value: v, count: n.get(v) ?? 0 }));
  };
  const label = (name: string, count: number) => (
    <>
      {name} <span className="resource-facet-count">({count})</span>
    </>
  );
  const group = (key: Exclude<FacetKey, 'element'>) => {
    const values = shown(key, orderOf[key]);
    if (!values.length) return null;
    return (
      <Checkbox.Group key={key} label={t(`resources.facets.${key}`)} description={key === 'grade' ? t('resources.facets.gradeHelp') : undefined} value={filters[key]} onChange={(v) => changed(key, filters[key], v)}>
        <Stack gap={6} mt={6}>
          {values.map((v) => (
            <Checkbox key={v.value} value={v.value} label={label(labels.facet(key, v.value), v.count)} />
          ))}
        </Stack>
      </Checkbox.Group>
    );
  };
  const known = new Set(labels.groups.flatMap((g) => g.elements.map((e) => e.ref)));
  const elementGroups = [
    ...labels.groups.map((g) => ({ id: g.framework, name: g.name, values: shown('element', g.elements.map((e) => e.ref)) })),
    // Tags of a framework the reader cannot see (or still loading) stay usable under their code.
    { id: 'other', name: t('resources.facets.otherElements'), values: shown('element', [...new Set([...counts.element.map((f) => f.value), ...filters.element])].filter((v) => !known.has(v))) },
  ]
    .filter((g) => g.values.length > 0)
    .map((g) => ({ ...g, chosen: filters.element.filter((v) => g.values.some((x) => x.value === v)) }));
  const chosen = Object.values(filters).some((v) => v.length > 0);

  return (
    <Stack gap="md">
      <Title order={2} size="h4">
        {t('resources.facets.title')}
      </Title>
      {chosen && (
        <Button variant="subtle" size="compact-sm" onClick={onClear} style={{ alignSelf: 'flex-start' }}>
          {t('resources.facets.clear')}
        </Button>
      )}
      {group('type')}
      {group('audience')}
      {group('grade')}
      {group('language')}
      {elementGroups.length > 0 && (
        <div role="group" aria-labelledby="resource-facet-elements">
          <Text id="resource-facet-elements" fw={500} size="sm" mb={6}>
            {t('resources.facets.element')}
          </Text>
          <Stack gap="sm">
            {elementGroups.map((g) => (
              <Checkbox.Group key={g.id} label={g.name} value={g.chosen} onChange={(v) => changed('element', g.chosen, v)} styles={{ label: { fontWeight: 400, fontStyle: 'italic' } }}>
                <Stack gap={6} mt={6}>
                  {g.values.map((v) => (
                    <Checkbox key={v.value} value={v.value} label={label(labels.element(v.value), v.count)} />
                  ))}
                </Stack>
              </Checkbox.Group>
            ))}
          </Stack>
        </div>
      )}
    </Stack>
  );
}
