import Link from "next/link";
import "./primitives.css";

/**
 * A column header that sorts on the server through the query string. `sort` is the current value ("field" ascending,
 * "-field" descending); clicking a column sorted descending sorts it ascending and vice versa.
 */
export function SortHeader({
  label,
  field,
  sort,
  href,
}: {
  label: string;
  field: string;
  sort: string;
  href: (sort: string) => string;
}) {
  const active = sort === field || sort === `-${field}`;
  const descending = sort === `-${field}`;
  const next = active && descending ? field : `-${field}`;
  return (
    <th aria-sort={active ? (descending ? "descending" : "ascending") : "none"} scope="col">
      <Link className="sort-link" href={href(next)}>
        {label}
        <span aria-hidden="true">{active ? (descending ? "▼" : "▲") : "↕"}</span>
      </Link>
    </th>
  );
}
