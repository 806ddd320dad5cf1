"use client";
// A table of rows: headers that sort (a button in each sortable header, aria-sort on the column), a sentence when
// there is nothing to show, and its own keyboard-reachable scroll region, so a wide table scrolls inside the page
// instead of widening it. Sorting runs in the browser on the rows given (TanStack Table); for lists paged by the
// server, SortHeader sorts through the query string instead.
import "./primitives.css";
import { useState, type ReactNode } from "react";
import {
  createSortedRowModel,
  rowSortingFeature,
  sortFn_basic,
  tableFeatures,
  useTable,
  type RowData,
  type SortingState,
} from "@tanstack/react-table";

export interface Column<T> {
  id: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** The value the column sorts by; a column without one does not sort. */
  sortValue?: (row: T) => string | number;
  align?: "left" | "right";
  /** The header is read by screen readers only (an actions column). */
  headerHidden?: boolean;
}

export interface DataTableProps<T> {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowId: (row: T) => string;
  /** Names the table for screen readers (a caption) and its scroll region. */
  label: string;
  /** What to say when there are no rows. */
  empty: ReactNode;
  initialSort?: { id: string; desc?: boolean };
  testId?: string;
  rowProps?: (row: T) => Record<`data-${string}`, string | undefined>;
  /** A checkbox per row (and one for every row given) for bulk actions; the owner keeps which ids are picked. */
  selection?: RowSelection<T>;
}

export interface RowSelection<T> {
  /** The picked row ids, in the order they were picked. */
  selected: ReadonlySet<string>;
  onChange: (next: ReadonlySet<string>) => void;
  /** The accessible name of a row's checkbox ("Select <title>"). */
  rowLabel: (row: T) => string;
  /** The accessible name of the header checkbox, which picks every row given (or none when all are picked). */
  allLabel: string;
}

const features = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { basic: sortFn_basic },
});

export function DataTable<T extends RowData>({
  columns,
  rows,
  rowId,
  label,
  empty,
  initialSort,
  testId,
  rowProps,
  selection,
}: DataTableProps<T>) {
  const [sorting, setSorting] = useState<SortingState>(
    initialSort ? [{ id: initialSort.id, desc: !!initialSort.desc }] : [],
  );
  const table = useTable({
    features,
    columns: columns.map((c) => ({
      id: c.id,
      accessorFn: c.sortValue ? (row: T) => c.sortValue?.(row) : undefined,
      enableSorting: !!c.sortValue,
      sortFn: "basic" as const,
    })),
    data: rows as T[],
    getRowId: rowId,
    state: { sorting },
    onSortingChange: setSorting,
    enableSortingRemoval: false,
  });
  if (rows.length === 0) return <p className="help table-empty">{empty}</p>;
  const byId = new Map(columns.map((c) => [c.id, c]));
  const ids = rows.map(rowId);
  const picked = selection ? ids.filter((i) => selection.selected.has(i)).length : 0;
  const toggle = (id: string) => {
    if (!selection) return;
    const next = new Set(selection.selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    selection.onChange(next);
  };
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`${label} (scrolls sideways when narrow)`}>
      <table className="table" data-testid={testId}>
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            {selection && (
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={selection.allLabel}
                  checked={picked > 0 && picked === ids.length}
                  ref={(el) => {
                    if (el) el.indeterminate = picked > 0 && picked < ids.length;
                  }}
                  onChange={() => selection.onChange(new Set(picked === ids.length ? [] : ids))}
                />
              </th>
            )}
            {table.getFlatHeaders().map((header) => {
              const column = byId.get(header.column.id);
              if (!column) return null;
              const sortable = header.column.getCanSort();
              const sorted = header.column.getIsSorted();
              return (
                <th
                  key={header.id}
                  scope="col"
                  className={column.align === "right" ? "num" : undefined}
                  aria-sort={
                    sortable ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined
                  }
                >
                  {column.headerHidden ? (
                    <span className="visually-hidden">{column.header}</span>
                  ) : sortable ? (
                    <button type="button" className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                      {column.header}
                      <span aria-hidden="true">{sorted === "asc" ? " ▲" : sorted === "desc" ? " ▼" : " ↕"}</span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              {...rowProps?.(row.original)}
              aria-selected={selection ? selection.selected.has(row.id) : undefined}
            >
              {selection && (
                <td>
                  <input
                    type="checkbox"
                    aria-label={selection.rowLabel(row.original)}
                    checked={selection.selected.has(row.id)}
                    onChange={() => toggle(row.id)}
                  />
                </td>
              )}
              {columns.map((c) => (
                <td key={c.id} className={c.align === "right" ? "num" : undefined}>
                  {c.cell(row.original)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
