"use client";
// A modal built on <dialog>: the browser traps focus and makes the page behind it inert, Escape closes it (through
// onClose, so the owner's state stays the truth), and focus returns to the element that opened it. Centred for a
// question or a short form; at the side (the drawer) for details that keep the list behind them in view.
import "./primitives.css";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { Button } from "./button";

export interface DialogProps {
  open: boolean;
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** The dialog's actions, right-aligned under its content. */
  actions?: ReactNode;
  /**
   * "side": a full-height sheet at the right edge with a Close button beside the title, closed by a click on the
   * backdrop too; its content renders only while open (details are often loaded or heavy).
   */
  placement?: "center" | "side";
  /** The Close button's accessible name (side placement). */
  closeLabel?: string;
  testId?: string;
}

export function Dialog({
  open,
  title,
  onClose,
  children,
  actions,
  placement = "center",
  closeLabel = "Close",
  testId,
}: DialogProps) {
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
  const side = placement === "side";
  return (
    // A click on a side sheet's backdrop closes it for mouse users; keyboard users have Escape (onCancel) and Close.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions
    <dialog
      ref={ref}
      className={side ? "drawer" : "dialog"}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={
        side
          ? (e) => {
              if (e.target === e.currentTarget) onClose();
            }
          : undefined
      }
    >
      {side ? (
        <div className="drawer-body">
          <div className="row items-start">
            <h2 className="flush grow" id={titleId}>
              {title}
            </h2>
            <Button size="sm" onClick={onClose} aria-label={closeLabel}>
              Close
            </Button>
          </div>
          {open && children}
          {open && actions && <div className="dialog-actions">{actions}</div>}
        </div>
      ) : (
        <>
          <h2 id={titleId}>{title}</h2>
          <div>{children}</div>
          {actions && <div className="dialog-actions">{actions}</div>}
        </>
      )}
    </dialog>
  );
}
