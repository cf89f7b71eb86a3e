import { Fieldset, Stack, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { LanguageCode, LocalizedText } from '../../model/text.js';

/** One text in each of the instrument's languages; an empty box means "not translated yet". */
export function LocalizedField({ label, value, languages, onChange, multiline, error, required }: { label: string; value: LocalizedText | undefined; languages: LanguageCode[]; onChange: (v: LocalizedText | undefined) => void; multiline?: boolean; error?: string; required?: boolean }) {
  const { t } = useTranslation();
  const Input = multiline ? Textarea : TextInput;
  return (
    <Fieldset legend={label} variant="unstyled">
      <Stack gap={6}>
        {languages.map((lang) => (
          <Input
            key={lang}
            label={t(`languageNames.${lang}`)}
            size="sm"
            required={required && lang === languages[0]}
            value={value?.[lang] ?? ''}
            error={lang === languages[0] ? error : undefined}
            autosize={multiline ? true : undefined}
            minRows={multiline ? 2 : undefined}
            onChange={(e: { currentTarget: { value: string } }) => {
              const next: LocalizedText = { ...(value ?? {}) };
              const v = e.currentTarget.value;
              if (v.trim()) next[lang] = v;
              else delete next[lang];
              onChange(Object.keys(next).length ? next : undefined);
            }}
          />
        ))}
      </Stack>
    </Fieldset>
  );
}
