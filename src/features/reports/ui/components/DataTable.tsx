import { Table } from '@mantine/core';
import type { ReactNode } from 'react';
import { ScrollTable } from '../../../surveys/ui/components/ScrollTable.js';

/**
 * A table of figures with its caption and column headers, scrolling sideways in its own box on a
 * narrow screen (where it becomes a named, focusable region).
 */
export function DataTable({ caption, head, children, className, striped = true }: { caption: string; head: ReactNode[]; children: ReactNode; className?: string; striped?: boolean }) {
  return (
    <ScrollTable label={caption}>
      <Table withTableBorder striped={striped} captionSide="top" className={className}>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {head.map((h, i) => (
              <Table.Th scope="col" key={i}>
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
