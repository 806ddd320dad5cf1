import { formatDuration } from "@/lib/dr/drill-verdict";

export interface BackupAgeCardProps {
  clusterName: string;
  isSandbox: boolean;
  backup: { name: string; ageSeconds: number } | null;
  error?: string | null;
}

/** A cluster's newest successful backup, by its age: said once ("1m 49s old"), not again as "1 minute ago". */
export function BackupAgeCard({ clusterName, isSandbox, backup, error }: BackupAgeCardProps) {
  return (
    <div className="card stat">
      <div className="label">
        {clusterName}
        {isSandbox ? " · sandbox" : ""}
      </div>
      {backup ? (
        <>
          <div className="value">{formatDuration(backup.ageSeconds)} old</div>
          <div className="help">
            <code>{backup.name}</code>
          </div>
        </>
      ) : (
        <div className="help">{error ? `Could not read backups: ${error}` : "No Completed Velero backup found."}</div>
      )}
    </div>
  );
}
