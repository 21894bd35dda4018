"""The HTTP API: FastAPI routes over :class:`PolicyService`, with no logic of their own.

    policykg api --data data            # http://127.0.0.1:8000/docs

Each route checks its parameters, calls one service method and returns its
result as JSON.  ``create_app(service)`` takes an already loaded service, so
tests and other hosts can pass their own.  The service's refusals of a bad
input (``ValueError``: unknown filter value, bad profile, refused SPARQL
update …) become 422 responses with its message; a query that runs too long, 504.
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from app.service import PolicyService
from search.filters import FILTER_HELP

DESCRIPTION = """\
Clause search, the knowledge graph and project applicability checks over
Chinese government policy documents (PolicyKG).  The same service answers
the Streamlit app and the `policykg` command line.

Clause ids look like `jnygf-2024-195#一.3`; in a path, percent-encode the `#`
(`/clauses/jnygf-2024-195%23一.3`).
"""

TAGS = [
    {"name": "search", "description": "Clause search with filters."},
    {"name": "documents", "description": "Documents and clauses by id."},
    {"name": "applicability", "description": "Which rules bind a project, and whether its numbers meet them."},
    {"name": "graph", "description": "Agency–task matrix, targets, incentives, read-only SPARQL."},
]

SparqlFormat = Literal["json", "csv", "tsv", "xml", "turtle", "nt", "jsonld"]
MEDIA_TYPES = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
               "xml": "application/sparql-results+xml", "turtle": "text/turtle", "nt": "application/n-triples",
               "jsonld": "application/ld+json"}
PROFILE_EXAMPLE = {"region": "广西", "industry": "钢铁", "project_kind": "新建",
                   "direct_line_km": 60, "grid_voltage_kv": 110, "self_consumption_pct": 55}


def create_app(service: PolicyService) -> FastAPI:
    app = FastAPI(title="PolicyKG API", version=_version(), description=DESCRIPTION, openapi_tags=TAGS)
    app.state.service = service

    @app.exception_handler(ValueError)
    async def refused(_request: Request, exc: ValueError):
        from graph.query import QueryTimeout

        return JSONResponse(status_code=504 if isinstance(exc, QueryTimeout) else 422, content={"detail": str(exc)})

    @app.get("/health", tags=["documents"], summary="Is the service up, and what data does it serve")
    def health() -> dict[str, Any]:
        manifest = service.manifest
        return {"status": "ok", "documents": len(service.documents), "clauses": len(service.clauses),
                "built_at": manifest.get("built_at"), "package_version": manifest.get("package_version")}

    @app.get("/search", tags=["search"], summary="Search clauses")
    def search(
        q: str = Query(..., min_length=1, max_length=500, description="the query, e.g. 绿电直连 电压等级"),
        k: int = Query(10, ge=1, le=100, description="number of hits"),
        region: list[str] = Query([], description=FILTER_HELP["region"]),
        level: list[str] = Query([], description=FILTER_HELP["level"]),
        document: list[str] = Query([], description=FILTER_HELP["document"]),
        issuer: list[str] = Query([], description=FILTER_HELP["issuer"]),
        agency: list[str] = Query([], description=FILTER_HELP["agency"]),
        industry: list[str] = Query([], description=FILTER_HELP["industry"]),
        measure: list[str] = Query([], description=FILTER_HELP["measure"]),
        year: list[int] = Query([], description=FILTER_HELP["year"]),
        valid: bool | None = Query(None, description=FILTER_HELP["valid"]),
    ) -> dict[str, Any]:
        """Repeat a filter for any of several values (`region=山西&region=广西`); filters combine with AND."""
        filters: dict[str, Any] = {name: values for name, values in (
            ("region", region), ("level", level), ("document", document), ("issuer", issuer), ("agency", agency),
            ("industry", industry), ("measure", measure), ("year", year)) if values}
        if valid is not None:
            filters["valid"] = valid
        return {"query": q, "filters": filters, "hits": service.search(q, k=k, filters=filters or None)}

    @app.get("/documents", tags=["documents"], summary="The documents of the corpus with their metadata")
    def documents() -> list[dict[str, Any]]:
        return [{**doc["document"], "clauses": doc["clause_count"]} for doc in service.documents.values()]

    @app.get("/documents/{doc_id}", tags=["documents"], summary="One document as its clause tree")
    def document(doc_id: str) -> dict[str, Any]:
        if doc_id not in service.documents:
            raise HTTPException(404, f"no document {doc_id!r}")
        return service.document_tree(doc_id)

    @app.get("/clauses/{clause_id:path}", tags=["documents"], summary="One clause by id")
    def clause(clause_id: str, context: int = Query(0, ge=0, le=10, description="with this many clauses before and after it")
               ) -> dict[str, Any]:
        if context:
            found = service.clause_context(clause_id, before=context, after=context)
        else:
            found = service.clause(clause_id)
        if found is None:
            raise HTTPException(404, f"no clause {clause_id!r}")
        return found

    @app.post("/apply", tags=["applicability"], summary="Check a project profile against the corpus")
    def apply(profile: dict[str, Any] = Body(..., examples=[PROFILE_EXAMPLE],
                                             description="profile fields (see rules.profile)")) -> dict[str, Any]:
        """The rules that bind the project, why, and each quantitative condition checked (met / not_met / unknown)."""
        return service.apply(profile)

    @app.get("/matrix", tags=["graph"],
             summary="Agency–task matrix: who leads (牵头), supports (配合), is listed for (责任单位) or acts in (责任主体) which clause")
    def matrix(document: str | None = Query(None, description="limit to one document id"),
               first_listed_leads: bool = Query(False, description="read a plain 责任单位 list as led by its first agency")
               ) -> list[dict[str, Any]]:
        if first_listed_leads:
            return service.agency_task_matrix(document, True)
        return service.agency_task_matrix(document)

    @app.get("/targets", tags=["graph"], summary="Quantified targets (indicator, value, unit, year)")
    def targets(
        year: int | None = Query(None), region: str | None = Query(None), document: str | None = Query(None),
        indicator: str | None = Query(None, description="words in the indicator, e.g. 非化石能源"),
    ) -> list[dict[str, Any]]:
        return service.targets(year=year, region=region, document=document, indicator=indicator)

    @app.get("/incentives", tags=["graph"], summary="Incentives and restrictions for an industry and its narrower ones")
    def incentives(industry: str = Query(..., description="concept id, label or synonym: 新能源, steel")) -> list[dict[str, Any]]:
        return service.incentives(industry)

    @app.get("/entitlements", tags=["graph"],
             summary="What award and subsidy rules grant: kind, amount, cap, beneficiary and the conditions to qualify")
    def entitlements(document: str | None = Query(None, description="limit to one document id")) -> list[dict[str, Any]]:
        return service.entitlements(document)

    def sparql_response(query: str, fmt: str) -> Response:
        result = service.sparql(query, fmt)
        if isinstance(result, (dict, list)):
            return JSONResponse(result, media_type=MEDIA_TYPES[fmt])
        return Response(result, media_type=MEDIA_TYPES[fmt])

    @app.get("/sparql", tags=["graph"], summary="Read-only SPARQL (SELECT, ASK, CONSTRUCT, DESCRIBE)",
             response_class=Response)
    def sparql(query: str = Query(..., description="a SPARQL query; updates are refused"),
               format: SparqlFormat = Query("json", description="json/csv/tsv/xml for tables; turtle/nt/jsonld for graphs")
               ) -> Response:
        return sparql_response(query, format)

    @app.post("/sparql", tags=["graph"], summary="Read-only SPARQL with the query in a JSON body (for long queries)",
              response_class=Response)
    def sparql_post(query: str = Body(..., embed=True, description="a SPARQL query; updates are refused"),
                    format: SparqlFormat = Body("json", embed=True)) -> Response:
        return sparql_response(query, format)

    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policykg")
    except PackageNotFoundError:
        return "unknown"
