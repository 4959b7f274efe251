"""The Analyzer over gRPC: imports, a citizen's changes and the two reports, each checked with
the REST contract's schema and served by the same controllers."""
from __future__ import annotations

from google.protobuf.empty_pb2 import Empty

from api.rpc.calls import Call, unary
from api.rpc.convert import fields_of, masked
from api.rpc.stubs import analyzer_pb2 as pb
from api.rpc.stubs import analyzer_pb2_grpc
from controllers.citizen_rules import CHANGES, IMPORT
from controllers.import_check import check_import
from controllers.imports import ImportController
from controllers.reports import ReportController
from controllers.validation import check


class Analyzer(analyzer_pb2_grpc.AnalyzerServicer):
    """The Analyzer service; with `protected`, for analysts and API keys only."""

    def __init__(self, protected: bool):
        self.protected = protected

    @unary(pb.ImportCreated)
    def CreateImport(self, request: pb.ImportRequest, call: Call) -> dict:
        call.analyst(self.protected)
        body = check_import(IMPORT, lambda schema, label=None: fields_of(request))
        return ImportController().create(body['citizens'], call.still_wanted, judged=True)

    @unary(pb.ImportList)
    def ListImports(self, request: Empty, call: Call) -> dict:
        call.analyst(self.protected)
        return {'data': ImportController().imports()}

    @unary(pb.Citizen)
    def PatchCitizen(self, request: pb.PatchCitizenRequest, call: Call) -> dict:
        call.analyst(self.protected)
        changes = check(CHANGES, masked(request.citizen, request.update_mask))
        return ImportController().patch(request.import_id, request.citizen_id, changes)

    @unary(pb.CitizenList)
    def ListCitizens(self, request: pb.ImportRef, call: Call) -> dict:
        call.analyst(self.protected)
        return {'data': ImportController().citizens(request.import_id)}

    @unary(pb.BirthdaysReport)
    def Birthdays(self, request: pb.ImportRef, call: Call) -> dict:
        call.analyst(self.protected)
        months = ReportController().birthdays(request.import_id)
        return {'months': [{'month': int(month), 'presents': presents}
                           for month, presents in months.items()]}

    @unary(pb.PercentilesReport)
    def AgePercentiles(self, request: pb.ImportRef, call: Call) -> dict:
        call.analyst(self.protected)
        return {'data': ReportController().age_percentiles(request.import_id)}
