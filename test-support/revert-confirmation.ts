// What the revert dialog lists as to be deleted for a request now: the detail page's data (getRequestDetail) through
// the dialog's own list (deletesToConfirm), sent as the dialog sends it. Int tests confirm a revert as a person does.
import { expect } from "vitest";
import type { PortalUser } from "@/lib/auth/permissions";
import type { ObjectRef } from "@/lib/k8s/object-ref";
import { getRequestDetail } from "@/lib/requests/get-request.server";
import { confirmationRef, deletesToConfirm } from "@/lib/requests/revert-confirmation";

/** `expectedCount`: how many objects the dialog must list (checked, so a test also says what the person is shown). */
export async function deletesShown(user: PortalUser, requestId: string, expectedCount?: number): Promise<ObjectRef[]> {
  const detail = await getRequestDetail({ actor: user, id: requestId });
  if (!detail) throw new Error(`request ${requestId} is not visible to ${user.email}`);
  const list = deletesToConfirm({
    created: detail.createdObjects,
    leftInPlace: detail.revertLeavesInPlace,
    inherited: detail.revertInherits,
  });
  if (expectedCount !== undefined)
    expect(list, "the objects the revert dialog lists as to be deleted").toHaveLength(expectedCount);
  return list.map(confirmationRef);
}
