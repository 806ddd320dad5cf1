import "./primitives.css";
import { ButtonLink } from "./button";

/** Previous/next links that keep the other query parameters; `href(page)` builds each link. */
export function Pagination({
  page,
  pageSize,
  total,
  href,
  noun = "items",
}: {
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
  noun?: string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav className="pagination" aria-label="Pagination">
      <span>
        {from}–{to} of {total} {noun} · page {page} of {pages}
      </span>
      {page > 1 ? (
        <ButtonLink href={href(page - 1)} rel="prev">
          Previous
        </ButtonLink>
      ) : (
        <span className="btn btn-unavailable" aria-disabled="true">
          Previous
        </span>
      )}
      {page < pages ? (
        <ButtonLink href={href(page + 1)} rel="next">
          Next
        </ButtonLink>
      ) : (
        <span className="btn btn-unavailable" aria-disabled="true">
          Next
        </span>
      )}
    </nav>
  );
}
