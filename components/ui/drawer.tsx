"use client";
// A side sheet built on a modal <dialog>: the browser traps focus, Escape closes it, and focus returns to the
// element that opened it. For details that keep the list behind them in view.
import "./primitives.css";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./button";

export function Drawer({
  open,
  title,
  onClose,
  children,
  testId,
}: {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // showModal is missing only where no browser runs (jsdom): an open attribute shows the same content there.
    if (open && !dialog.open) {
      if (typeof dialog.showModal === "function") dialog.showModal();
      else dialog.setAttribute("open", "");
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    // A click on the backdrop closes the drawer for mouse users; keyboard users have Escape (onCancel) and Close.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions
    <dialog
      ref={ref}
      className="drawer"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="drawer-body">
        <div className="row items-start">
          <h2 className="flush grow" id={titleId}>
            {title}
          </h2>
          <Button size="sm" onClick={onClose} aria-label="Close details">
            Close
          </Button>
        </div>
        {open && children}
      </div>
    </dialog>
  );
}
