"use client";
// A side sheet: the Dialog at the right edge (focus trapped, Escape and a backdrop click close it, focus returns to
// the element that opened it). For details that keep the list behind them in view.
import type { ReactNode } from "react";
import { Dialog } from "./dialog";

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
  return (
    <Dialog placement="side" open={open} title={title} onClose={onClose} closeLabel="Close details" testId={testId}>
      {children}
    </Dialog>
  );
}
