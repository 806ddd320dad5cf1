"use client";
// WAI-ARIA tabs: arrow keys move between tabs, Home/End jump, only the selected tab is in the tab order.
import "./primitives.css";
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

export interface TabItem {
  id: string;
  label: ReactNode;
  content: ReactNode;
}

export function Tabs({
  items,
  label,
  initial,
  onChange,
}: {
  items: TabItem[];
  label: string;
  initial?: string;
  onChange?: (id: string) => void;
}) {
  const [selected, setSelected] = useState(initial ?? items[0]?.id);
  const base = useId();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const current = items.find((i) => i.id === selected) ?? items[0];
  const list = useRef<HTMLDivElement | null>(null);
  // Tabs scrolled out of a narrow column are invisible: say there are more, on the side they are, with a button.
  const [hidden, setHidden] = useState({ before: false, after: false });
  useEffect(() => {
    const el = list.current;
    if (!el) return;
    const measure = () =>
      setHidden({
        before: el.scrollLeft > 1,
        after: el.scrollLeft + el.clientWidth < el.scrollWidth - 1,
      });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    el.addEventListener("scroll", measure, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener("scroll", measure);
    };
  }, [items.length]);
  const scrollBy = (direction: 1 | -1) => {
    const el = list.current;
    if (el) el.scrollBy({ left: direction * el.clientWidth * 0.7, behavior: "smooth" });
  };

  function select(index: number) {
    const item = items[(index + items.length) % items.length];
    if (!item) return;
    setSelected(item.id);
    onChange?.(item.id);
    refs.current[(index + items.length) % items.length]?.focus();
  }

  function onKeyDown(event: KeyboardEvent, index: number) {
    const moves: Record<string, number> = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: items.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      select(moves[event.key]!);
    }
  }

  return (
    <div>
      <div className="tabs-bar">
        {hidden.before && (
          <button
            type="button"
            className="tabs-more tabs-more-before"
            onClick={() => scrollBy(-1)}
            tabIndex={-1}
            data-tabs-more="before"
          >
            <span aria-hidden="true">‹</span>
            <span className="visually-hidden">Show earlier tabs</span>
          </button>
        )}
        <div role="tablist" aria-label={label} className="tabs-list" ref={list}>
          {items.map((item, index) => (
            <button
              key={item.id}
              ref={(el) => {
                refs.current[index] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${item.id}`}
              aria-selected={item.id === current?.id}
              aria-controls={`${base}-panel-${item.id}`}
              tabIndex={item.id === current?.id ? 0 : -1}
              className="tabs-tab"
              onClick={() => {
                setSelected(item.id);
                onChange?.(item.id);
              }}
              onKeyDown={(e) => onKeyDown(e, index)}
            >
              {item.label}
            </button>
          ))}
        </div>
        {hidden.after && (
          <button
            type="button"
            className="tabs-more tabs-more-after"
            onClick={() => scrollBy(1)}
            tabIndex={-1}
            data-tabs-more="after"
          >
            <span className="tabs-more-text">More</span> <span aria-hidden="true">›</span>
            <span className="visually-hidden"> tabs</span>
          </button>
        )}
      </div>
      {current && (
        <div
          role="tabpanel"
          id={`${base}-panel-${current.id}`}
          aria-labelledby={`${base}-tab-${current.id}`}
          tabIndex={0}
          className="tabs-panel"
        >
          {current.content}
        </div>
      )}
    </div>
  );
}
