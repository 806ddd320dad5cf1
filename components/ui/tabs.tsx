"use client";
// WAI-ARIA tabs: arrow keys move between tabs, Home/End jump, only the selected tab is in the tab order. Every tab
// stays in sight: a list too long for its column wraps onto another row rather than scrolling tabs out of view,
// where people did not find them.
import "./primitives.css";
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { tabIndexAfterKey } from "./tab-keys";

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
  function select(index: number) {
    const item = items[index];
    if (!item) return;
    setSelected(item.id);
    onChange?.(item.id);
    refs.current[index]?.focus();
  }

  function onKeyDown(event: KeyboardEvent, index: number) {
    const next = tabIndexAfterKey(event.key, index, items.length);
    if (next === null) return;
    event.preventDefault();
    select(next);
  }

  return (
    <div>
      <div role="tablist" aria-label={label} className="tabs-list">
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
