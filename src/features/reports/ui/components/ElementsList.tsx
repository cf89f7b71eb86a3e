import { List, SimpleGrid, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { elementNames, useFrameworksQuery } from '../../../frameworks/ui/frameworks.api.js';
import type { SurveyReport } from '../../reports.contract.js';
import type { FigureText } from './figures.js';

/** The framework elements the survey speaks to, by framework, each with its scales' % favourable. */
export function ElementsList({ report, text }: { report: SurveyReport; text: FigureText }) {
  const { t, i18n } = useTranslation();
  const names = elementNames(useFrameworksQuery().data?.items, i18n.language);
  const byFramework = new Map<string, SurveyReport['elements']>();
  for (const e of report.elements) {
    const framework = names.get(e.ref)?.framework ?? e.ref.split(':')[0];
    byFramework.set(framework, [...(byFramework.get(framework) ?? []), e]);
  }
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      {[...byFramework].map(([framework, elements]) => (
        <div key={framework}>
          <Title order={3} size="h4" mb="xs">
            {framework}
          </Title>
          <List spacing="sm">
            {elements.map((e) => {
              const scales = e.scales.map((id) => report.scales.find((s) => s.id === id)).filter((s) => s !== undefined);
              return (
                <List.Item key={e.ref}>
                  <Text fw={600} size="sm">
                    {names.get(e.ref)?.element ?? e.ref}
                  </Text>
                  <Text size="sm">
                    {scales.length > 0 ? t('reports.elements.scales', { scales: scales.map((s) => `${s.title} (${text.figure(s.overall)})`).join(', ') }) : t('reports.elements.noScale')}
                    {' · '}
                    {t('reports.elements.questions', { count: e.items.length })}
                  </Text>
                </List.Item>
              );
            })}
          </List>
        </div>
      ))}
    </SimpleGrid>
  );
}
