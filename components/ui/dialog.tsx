"use client";
// A modal built on <dialog>: the browser traps focus and makes the page behind it inert, Escape closes it (through
// onClose, so the owner's state stays the truth), and focus returns to the element that opened it.
import "./primitives.css";
import { useEffect, useId, useRef, type ReactNode } from "react";

export interface DialogProps {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** The dialog's actions, right-aligned under its content. */
  actions?: ReactNode;
  testId?: string;
}

export function Dialog({ open, title, onClose, children, actions, testId }: DialogProps) {
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
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div>{children}</div>
      {actions && <div className="dialog-actions">{actions}</div>}
    </dialog>
  );
}
