// snn_delay: DEPTH registers in a row, moving when `en` is high (DEPTH = 0: a wire).
`default_nettype none
module snn_delay #(
    parameter WIDTH = 1,
    parameter DEPTH = 1
) (
    input  wire             clk,
    input  wire             en,
    input  wire [WIDTH-1:0] d,
    output wire [WIDTH-1:0] q
);
    generate
        if (DEPTH == 0) begin : wire_through
            wire unused_clock = clk & en;
            assign q = d;
        end else begin : shift
            reg [WIDTH-1:0] stage [0:DEPTH-1];
            integer i;
            initial for (i = 0; i < DEPTH; i = i + 1) stage[i] = {WIDTH{1'b0}};
            always @(posedge clk) begin
                if (en) begin
                    stage[0] <= d;
                    for (i = 1; i < DEPTH; i = i + 1) stage[i] <= stage[i-1];
                end
            end
            assign q = stage[DEPTH-1];
        end
    endgenerate
endmodule
`default_nettype wire
