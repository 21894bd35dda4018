"""文件 page: the corpus table, a document as its clause tree, uploads (AppTest)."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.service import PolicyService, UploadRefused, safe_upload_name

NEW_DOC = (
    "山西省能源局关于开展分布式光伏试点工作的通知\n\n晋能源新发〔2031〕7号\n\n"
    "一、工作目标\n（一）到2032年，全省分布式光伏试点装机达到200万千瓦。\n"
    "二、支持政策\n（二）省财政厅对试点项目给予一次性资金补助，省能源局负责组织实施。\n"
)


def texts(at) -> str:
    return "\n".join(str(e.value) for e in [*at.markdown, *at.caption, *at.error, *at.success, *at.info])


def test_documents_page_lists_the_corpus_and_opens_a_clause_tree(service, open_page):
    at = open_page("views/documents_page.py")
    table = at.dataframe[0].value
    assert len(table) == len(service.documents)
    assert {"标题", "发文字号", "地区", "是否有效", "条款数"} <= set(table.columns)
    doc_id = "jnygf-2024-195"
    at.selectbox(key="docs_open").select(doc_id).run()
    assert at.query_params["doc"] == doc_id
    shown = texts(at)
    assert "壮大绿色产业招项目" in shown          # a section heading of the tree
    assert "以绿电吸引外资及供应链项目" in shown   # a clause under it


def test_a_link_opens_the_document_at_its_clause(open_page):
    clause_id = "jnygf-2024-195#一.2"
    at = open_page("views/documents_page.py", {"doc": "jnygf-2024-195", "clause": clause_id})
    assert at.selectbox(key="docs_open").value == "jnygf-2024-195"
    highlighted = [m.value for m in at.markdown if "pk-anchor" in str(m.value)]
    assert len(highlighted) == 1 and "以绿电吸引外资" in highlighted[0]


def test_an_upload_that_is_not_a_document_is_refused_with_a_reason(built_data, open_page):
    at = open_page("views/documents_page.py")
    at.file_uploader(key="docs_upload").set_value(("../照片.pdf", b"\x89PNG\r\n\x1a\n" + bytes(200), "application/pdf")).run()
    at.button(key="docs_add").click().run()
    assert not at.exception
    message = at.error[0].value
    assert "未添加" in message and "这是 PNG 图片" in message          # the reason in Chinese
    assert any("PNG image" in c.value for c in at.code)                  # the original kept for the administrator
    assert len(PolicyService(built_data).documents) == 5    # nothing was added


def test_an_uploaded_document_is_parsed_added_and_searchable(published_data, open_page):
    data = published_data
    at = open_page("views/documents_page.py", data=data)
    at.file_uploader(key="docs_upload").set_value(("分布式光伏试点.txt", NEW_DOC.encode("gb18030"), "text/plain")).run()
    at.button(key="docs_add").click().run(timeout=300)
    assert not at.exception, at.exception
    assert "已添加《山西省能源局关于开展分布式光伏试点工作的通知》" in at.success[0].value
    svc = PolicyService(data)
    doc_id = at.query_params["doc"]
    assert len(svc.documents) == 6 and doc_id in svc.documents
    assert at.selectbox(key="docs_open").value == doc_id           # the new document is opened
    assert "分布式光伏试点装机达到200万千瓦" in texts(at)
    hits = svc.search("分布式光伏试点 资金补助", k=5)
    assert hits and hits[0]["clause_id"].startswith(doc_id)


@pytest.mark.parametrize("name, safe", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\x\\方案.docx", "方案.docx"),
    (".hidden.txt", "hidden.txt"),
    ("a\x00b\u202e.txt", "ab.txt"),
])
def test_upload_names_lose_folders_and_hidden_characters(name, safe):
    assert safe_upload_name(name) == safe


@pytest.mark.parametrize("name", ["", "..", "/", "\x00"])
def test_an_unusable_upload_name_is_refused(name):
    with pytest.raises(UploadRefused) as err:
        safe_upload_name(name)
    assert err.value.reason == "name"


def test_oversized_and_duplicate_uploads_are_refused_before_anything_is_kept(published_data, tmp_path):
    from app import service as service_module

    svc = PolicyService(published_data)
    with pytest.raises(UploadRefused) as err:
        svc.add_document("big.txt", b"x" * (service_module.MAX_UPLOAD_BYTES + 1))
    assert err.value.reason == "size"
    corpus_file = sorted((Path(__file__).resolve().parent.parent / "corpus").glob("000_*.txt"))[0]
    with pytest.raises(UploadRefused) as err:
        svc.add_document("again.txt", corpus_file.read_bytes())
    assert err.value.reason == "duplicate"
    uploads = tmp_path / ".data.versions" / "uploads"
    assert not [p for p in uploads.iterdir() if not p.name.startswith(".")] if uploads.exists() else True


def test_citations_between_documents_are_links_both_ways(service, open_page):
    svc = service
    cited = "sx-wzzqqmgcxfzlnqszhtdf"            # 中共山西省委 山西省人民政府关于完整准确全面贯彻新发展理念…
    assert "sxsgylytdfssfa" in {x["doc_id"] for x in svc.document_links(cited)["cited_by"]}
    at = open_page("views/documents_page.py", {"doc": "sxsgylytdfssfa"})
    shown = texts(at)
    assert f'class="pk-cite" href="documents?doc={cited}"' in shown       # the 《title》 in the text opens it
    assert f"documents?doc={cited})" in shown                              # and 本文件引用 lists it
    at = open_page("views/documents_page.py", {"doc": cited})
    assert "**引用本文件的**" in texts(at) and "documents?doc=sxsgylytdfssfa" in texts(at)
