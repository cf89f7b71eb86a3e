import { Divider, Paper, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import i18n from '../../../client/i18n.js';
import { calcValues, visibleItems } from '../model/answers.js';
import type { InstrumentDefinition } from '../model/instrument.schema.js';
import type { AnswerValue } from '../model/item-types.js';
import { type LanguageCode, pick } from '../model/text.js';
import { Question } from './items/questions.js';

/**
 * An instrument as a respondent or team member sees it, in one language, answerable so show-if
 * logic can be tried; nothing is stored.
 */
export function InstrumentPreview({ def, lang }: { def: InstrumentDefinition; lang: LanguageCode }) {
  const [answers, setAnswers] = useState<Record<string, AnswerValue>>({});
  const shown = useMemo(() => visibleItems(def, answers), [def, answers]);
  const computed = useMemo(() => calcValues(def, answers), [def, answers]);
  const t = useMemo(() => i18n.getFixedT(lang), [lang]);
  const onAnswer = (slot: string, value: AnswerValue | undefined) =>
    setAnswers((a) => {
      const next = { ...a };
      if (value === undefined) delete next[slot];
      else next[slot] = value;
      return next;
    });
  const text = (x: Parameters<typeof pick>[0]) => pick(x, lang, def.defaultLanguage);
  return (
    <div lang={lang}>
      <Stack gap="lg">
        {def.description && <Text>{text(def.description)}</Text>}
        {def.sections.map((section) => {
          const items = section.items.filter((i) => shown.has(i.id));
          if (items.length === 0) return null;
          return (
            <Paper key={section.id} withBorder p="lg">
              <Title order={3} mb="xs">
                {text(section.title)}
              </Title>
              {section.description && <Text mb="md">{text(section.description)}</Text>}
              <Stack gap="xl">
                {items.map((item, i) => (
                  <div key={item.id}>
                    {i > 0 && <Divider mb="xl" />}
                    <Question item={item} def={def} lang={lang} answers={answers} onAnswer={onAnswer} t={t} computed={computed} />
                  </div>
                ))}
              </Stack>
            </Paper>
          );
        })}
      </Stack>
    </div>
  );
}
