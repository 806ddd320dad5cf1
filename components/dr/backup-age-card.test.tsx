// @vitest-environment happy-dom
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { BackupAgeCard } from "./backup-age-card";

afterEach(cleanup);

describe("BackupAgeCard", () => {
  it("says the backup's age once", () => {
    const { container } = render(
      <BackupAgeCard clusterName="sandbox" isSandbox backup={{ name: "daily-20261207", ageSeconds: 109 }} />,
    );
    expect(container.textContent).toBe("sandbox · sandbox1m 49s olddaily-20261207");
    expect(container.textContent).not.toMatch(/ago/);
  });

  it("says why there is no age when the backups cannot be read", () => {
    const { container } = render(
      <BackupAgeCard clusterName="prod" isSandbox={false} backup={null} error="forbidden" />,
    );
    expect(container.textContent).toBe("prodCould not read backups: forbidden");
  });
});
