import "@/components/requests/requests.css";
import { requirePage } from "@/lib/auth/session.server";
import { listPeople } from "@/lib/people/list-people.server";
import { listTeams } from "@/lib/people/list-teams.server";
import { PeopleTable } from "@/components/people/people-table";
import { TeamsSection } from "@/components/people/teams-section";

export const metadata = { title: "People and teams" };
export const dynamic = "force-dynamic";

export default async function PeoplePage() {
  const user = await requirePage("people.manage");
  const [people, teams] = await Promise.all([listPeople({ actor: user }), listTeams({ actor: user })]);
  return (
    <>
      <h1>People and teams</h1>
      <p className="subtitle">
        Who can sign in, with which role and teams and where each came from; each team&apos;s cost labels and budget.
        Every change is audited.
      </p>
      <div className="grid">
        <PeopleTable people={people} currentUserId={user.id} />
        <TeamsSection teams={teams} />
      </div>
    </>
  );
}
