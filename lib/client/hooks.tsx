"use client";
// TanStack Query over the typed client: queries keyed by endpoint and arguments, mutations that invalidate the
// queries of what they change. The client comes from ApiProvider (the portal layout), with the browser's fetch.
import {
  QueryClient,
  QueryClientContext,
  QueryClientProvider,
  useMutation,
  useQuery,
  type Query,
} from "@tanstack/react-query";
import { createContext, useContext, useState, type ReactNode } from "react";
import { createApiClient, type AnyEndpoint, type ApiClient, type ArgsOf, type ResultOf } from "./api-client";
import type { ApiError } from "./api-error";

const ApiClientContext = createContext<ApiClient | null>(null);

function newQueryClient(): QueryClient {
  return new QueryClient({
    // Pages render from the server; a query refetches when its data changes, not on every focus.
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } },
  });
}

// fetch is looked up at call time, so a test's stubbed fetch is the one called.
const browserClient = createApiClient((input, init) => fetch(input, init));
// A component rendered outside the portal layout (a component test, the sign-in page) still has a query client.
let fallbackQueryClient: QueryClient | undefined;

function useQueryClientOrFallback(): QueryClient {
  return useContext(QueryClientContext) ?? (fallbackQueryClient ??= newQueryClient());
}

export function ApiProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(newQueryClient);
  const client = browserClient;
  return (
    <ApiClientContext.Provider value={client}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiClientContext.Provider>
  );
}

export function useApiClient(): ApiClient {
  return useContext(ApiClientContext) ?? browserClient;
}

/**
 * A mutation of one endpoint; on success it invalidates every query of the endpoints in `invalidates` (a query's key
 * starts with its endpoint's path template, so one path clears it for every argument).
 */
export function useApiMutation<E extends AnyEndpoint>(e: E, options: { invalidates?: readonly AnyEndpoint[] } = {}) {
  const client = useApiClient();
  const queryClient = useQueryClientOrFallback();
  return useMutation<ResultOf<E>, ApiError, ArgsOf<E>>(
    {
      mutationFn: (args) => client.call(e, args),
      onSuccess: async () => {
        await Promise.all(
          (options.invalidates ?? []).map((other) => queryClient.invalidateQueries({ queryKey: [other.path] })),
        );
      },
    },
    queryClient,
  );
}

/**
 * A query of one endpoint, keyed by its path template and arguments (so a mutation's `invalidates` refreshes it).
 * `initialData` is what the page rendered on the server; `refetchInterval` polls, and stops when it returns false.
 */
export function useApiQuery<E extends AnyEndpoint>(
  e: E,
  args: ArgsOf<E>,
  options: {
    initialData?: ResultOf<E>;
    refetchInterval?: (data: ResultOf<E> | undefined) => number | false;
  } = {},
) {
  const client = useApiClient();
  const queryClient = useQueryClientOrFallback();
  const { refetchInterval, initialData } = options;
  const queryKey = [e.path, args];
  // The page's server render is the newest answer there is: it replaces what the cache kept from an earlier visit
  // (a query's initialData alone would lose to that), once, when the component mounts.
  useState(() => {
    if (initialData !== undefined) queryClient.setQueryData(queryKey, initialData);
    return null;
  });
  return useQuery<ResultOf<E>, ApiError>(
    {
      queryKey,
      queryFn: ({ signal }) => client.call(e, args, signal),
      initialData,
      // The page's server render is fresh: the first fetch is the first poll, not one on mount.
      refetchOnMount: initialData === undefined,
      refetchInterval: refetchInterval
        ? (query: Query<ResultOf<E>, ApiError>) => refetchInterval(query.state.data)
        : undefined,
      // A run left running in another tab still finishes on screen when the person comes back to it.
      refetchIntervalInBackground: true,
    },
    queryClient,
  );
}
