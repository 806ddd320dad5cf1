"use client";
// TanStack Query over the typed client: queries keyed by endpoint and arguments, mutations that invalidate the
// queries of what they change. The client comes from ApiProvider (the portal layout), with the browser's fetch.
import { QueryClient, QueryClientContext, QueryClientProvider, useMutation } from "@tanstack/react-query";
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
