import { Button, Group, Modal, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../client/api.js';
import { ErrorAlert } from '../../../client/components/ErrorAlert.js';
import { LocalizedField } from '../../instruments/ui/editor/LocalizedField.js';
import type { FrameworkDefinition, FrameworkSummary } from '../frameworks.contract.js';

const langs = ['en', 'fr', 'es'] as const;

/**
 * Edits a framework's names, descriptions and elements (new elements may be added; existing ones
 * keep their ids because results and plans are tagged with them), or creates a network's own.
 */
export function FrameworkEditor({ framework, ownerOrgId, onClose }: { framework: FrameworkSummary | null; ownerOrgId?: number; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [def, setDef] = useState<FrameworkDefinition>(
    framework?.definition ?? { schemaVersion: 1, id: '', name: { en: '' }, description: { en: '' }, elementNoun: { en: 'element' }, elements: [{ id: 'element_1', name: { en: '' }, description: { en: '' } }] },
  );
  const existing = new Set(framework?.definition.elements.map((e) => e.id));
  const save = useMutation({
    mutationFn: () => (framework ? api('PUT', `/api/frameworks/${framework.id}`, { definition: def }) : api('POST', '/api/frameworks', { ownerOrgId, definition: def })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['frameworks'] });
      onClose();
    },
  });
  const setElement = (i: number, patch: Partial<FrameworkDefinition['elements'][number]>) => setDef((d) => ({ ...d, elements: d.elements.map((e, j) => (j === i ? { ...e, ...patch } : e)) }));
  return (
    <Modal opened onClose={onClose} title={framework ? t('frameworks.editTitle') : t('frameworks.createTitle')} size="xl">
      <Stack>
        {!framework && <TextInput label={t('frameworks.id')} description={t('frameworks.idHelp')} value={def.id} ff="monospace" onChange={(e) => setDef({ ...def, id: e.currentTarget.value })} />}
        <LocalizedField label={t('frameworks.name')} value={def.name} languages={[...langs]} onChange={(v) => setDef({ ...def, name: v ?? { en: '' } })} required />
        <LocalizedField label={t('frameworks.description')} value={def.description} languages={[...langs]} onChange={(v) => setDef({ ...def, description: v ?? { en: '' } })} multiline required />
        <LocalizedField label={t('frameworks.elementNoun')} value={def.elementNoun} languages={[...langs]} onChange={(v) => setDef({ ...def, elementNoun: v ?? { en: '' } })} required />
        {def.elements.map((e, i) => (
          <Paper key={i} withBorder p="sm">
            <Stack gap="xs">
              <TextInput label={t('editor.id')} value={e.id} ff="monospace" disabled={existing.has(e.id)} onChange={(ev) => setElement(i, { id: ev.currentTarget.value })} w={240} />
              <LocalizedField label={t('frameworks.elementName')} value={e.name} languages={[...langs]} onChange={(v) => setElement(i, { name: v ?? { en: '' } })} required />
              <LocalizedField label={t('frameworks.elementDescription')} value={e.description} languages={[...langs]} onChange={(v) => setElement(i, { description: v ?? { en: '' } })} multiline required />
              <LocalizedField label={t('frameworks.outcome')} value={e.outcome} languages={[...langs]} onChange={(v) => setElement(i, { outcome: v })} />
              {!existing.has(e.id) && (
                <Button size="xs" variant="subtle" color="red" w="fit-content" onClick={() => setDef((d) => ({ ...d, elements: d.elements.filter((_, j) => j !== i) }))}>
                  {t('editor.remove')}
                </Button>
              )}
            </Stack>
          </Paper>
        ))}
        <Button variant="light" w="fit-content" onClick={() => setDef((d) => ({ ...d, elements: [...d.elements, { id: `element_${d.elements.length + 1}`, name: { en: '' }, description: { en: '' } }] }))}>
          {t('frameworks.addElement')}
        </Button>
        <Text size="sm" c="dark.5">
          {t('frameworks.keepIds')}
        </Text>
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
