-- CreateIndex
CREATE INDEX "ApplyObjectResult_apiVersion_kind_namespace_name_idx" ON "ApplyObjectResult"("apiVersion", "kind", "namespace", "name");

