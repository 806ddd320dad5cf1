// The left navigation, by what people do. Each entry shows only to roles allowed its action.
import { can, type Action, type PortalUser } from "@/lib/auth/permissions";

export interface NavItem {
  href: string;
  label: string;
  action: Action;
}

export const navItems: NavItem[] = [
  { href: "/", label: "Home", action: "home.read" },
  { href: "/requests", label: "Requests", action: "request.read" },
  { href: "/clusters", label: "Clusters", action: "cluster.read" },
  { href: "/costs", label: "Costs", action: "costs.read" },
  { href: "/scaling", label: "Scaling", action: "scaling.simulate" },
  { href: "/drills", label: "DR drills", action: "drill.read" },
  { href: "/audit", label: "Audit", action: "audit.read" },
  { href: "/people", label: "People", action: "people.manage" },
  { href: "/settings", label: "Settings", action: "settings.manage" },
  { href: "/notifications", label: "Notifications", action: "notification.manage" },
  { href: "/api-tokens", label: "API tokens", action: "token.manage" },
];

export function navigationFor(user: PortalUser): NavItem[] {
  return navItems.filter((item) => can(user, item.action));
}
