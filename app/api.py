"""The HTTP API: FastAPI routes over :class:`PolicyService`, with no logic of their own.

    policykg api --data data            # http://127.0.0.1:8000/docs

Each route checks its parameters, calls one service method and returns its
result as JSON.  ``create_app(service)`` takes an already loaded service, so
tests and other hosts can pass their own.
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from app.service import PolicyService

DESCRIPTION = """\
Clause search, the knowledge graph and project applicability checks over
Chinese government policy documents (PolicyKG).  The same service answers
the Streamlit app and the `policykg` command line.

Clause ids look like `jnygf-2024-195#一.3`; put them in a path
percent-encoded (`#` is `%23`).
"""

TAGS = [
    {"name": "search", "description": "Clause search with filters."},
    {"name": "documents", "description": "Documents and clauses by id."},
    {"name": "applicability", "description": "Which rules bind a project, and whether its numbers meet them."},
    {"name": "graph", "description": "Agency–task matrix, targets, read-only SPARQL."},
]

SparqlFormat = Literal["json", "csv", "tsv", "xml", "turtle"]
SPARQL_FORMATS = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
                  "xml": "application/sparql-results+xml", "turtle": "text/turtle"}


def create_app(service: PolicyService) -> FastAPI:
    app = FastAPI(title="PolicyKG API", version=_version(), description=DESCRIPTION, openapi_tags=TAGS)
    app.state.service = service

    def missing(name: str):
        """A service method that is not in this build of PolicyKG."""
        method = getattr(service, name, None)
        if method is None:
            raise HTTPException(501, f"this PolicyKG build has no {name}")
        return method

    @app.exception_handler(ValueError)
    async def bad_value(_request: Request, exc: ValueError):  # the service's refusals of a bad input
        return JSONResponse(status_code=422, content={"detail": str(exc)})

    @app.get("/health", tags=["documents"], summary="Is the service up, and what data does it serve")
    def health() -> dict[str, Any]:
        manifest = service.manifest
        return {"status": "ok", "documents": len(service.documents), "clauses": len(service.clauses),
                "built_at": manifest.get("built_at"), "package_version": manifest.get("package_version")}

    @app.get("/search", tags=["search"], summary="Search clauses")
    def search(
        q: str = Query(..., min_length=1, max_length=500, description="query in Chinese, e.g. 绿电直连 电压等级"),
        k: int = Query(10, ge=1, le=100, description="number of hits"),
        region: list[str] = Query([], description="document region, e.g. 山西省"),
        document: list[str] = Query([], description="document id"),
        agency: list[str] = Query([], description="agency name (lead or support)"),
        industry: list[str] = Query([], description="industry concept id or label"),
        measure: list[str] = Query([], description="measure type: task / incentive / restriction / requirement / target"),
        year: list[int] = Query([], description="target or document year"),
    ) -> dict[str, Any]:
        filters = {name: values for name, values in (
            ("region", region), ("document", document), ("agency", agency), ("industry", industry),
            ("measure", measure), ("year", year)) if values}
        hits = missing("search")(q, k=k, filters=filters or None)
        return {"query": q, "filters": filters, "hits": hits}

    @app.get("/documents", tags=["documents"], summary="The documents of the corpus with their metadata")
    def documents() -> list[dict[str, Any]]:
        return [{**doc["document"], "clauses": len(doc["clauses"])} for doc in service.documents.values()]

    @app.get("/documents/{doc_id}", tags=["documents"], summary="One document as its clause tree")
    def document(doc_id: str) -> dict[str, Any]:
        if doc_id not in service.documents:
            raise HTTPException(404, f"no document {doc_id!r}")
        return service.document_tree(doc_id)

    @app.get("/clauses/{clause_id:path}", tags=["documents"], summary="One clause by id, with its neighbours")
    def clause(clause_id: str, context: int = Query(0, ge=0, le=10, description="clauses before and after to include")) -> dict[str, Any]:
        found = service.clause_context(clause_id, before=context, after=context)
        if found is None:
            raise HTTPException(404, f"no clause {clause_id!r}")
        return found if context else found["clause"]

    @app.post("/apply", tags=["applicability"], summary="Check a project profile against the corpus")
    def apply(profile: dict[str, Any] = Body(..., examples=[{
        "region": "广西", "industry": "钢铁", "project_kind": "新建",
        "direct_line_km": 60, "grid_voltage_kv": 110, "self_consumption_pct": 55}])) -> dict[str, Any]:
        return missing("apply")(profile)

    @app.get("/matrix", tags=["graph"], summary="Agency–task matrix (who leads or supports which clauses)")
    def matrix(document: str | None = Query(None, description="limit to one document id")) -> Any:
        if document is not None and document not in service.documents:
            raise HTTPException(404, f"no document {document!r}")
        return _jsonable(missing("agency_task_matrix")(document=document))

    @app.get("/targets", tags=["graph"], summary="Quantified targets (indicator, value, unit, year)")
    def targets(
        region: str | None = Query(None), document: str | None = Query(None),
        indicator: str | None = Query(None, description="words in the indicator, e.g. 非化石能源"),
        year: int | None = Query(None),
    ) -> Any:
        options = {k: v for k, v in (("region", region), ("document", document), ("indicator", indicator), ("year", year)) if v is not None}
        return _jsonable(missing("targets")(**options))

    def run_sparql(query: str, fmt: str) -> Response:
        result = missing("sparql")(query, fmt)
        if isinstance(result, (dict, list)):
            return JSONResponse(result)
        body = result.encode("utf-8") if isinstance(result, str) else result
        return Response(body, media_type=SPARQL_FORMATS[fmt])

    @app.get("/sparql", tags=["graph"], summary="Read-only SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    def sparql(query: str = Query(..., description="a SPARQL query; updates are refused"),
               format: SparqlFormat = Query("json")) -> Response:
        return run_sparql(query, format)

    @app.post("/sparql", tags=["graph"], summary="Read-only SPARQL, the query in a JSON body (for long queries)")
    def sparql_post(query: str = Body(..., embed=True, description="a SPARQL query; updates are refused"),
                    format: SparqlFormat = Body("json", embed=True)) -> Response:
        return run_sparql(query, format)

    return app


def _jsonable(value: Any) -> Any:
    """Data frames and records as plain JSON."""
    if hasattr(value, "to_dict") and hasattr(value, "columns"):
        return value.reset_index().to_dict(orient="records")
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policykg")
    except PackageNotFoundError:
        return "unknown"
